import Counter from "../islands/Counter.tsx";

export default function IslandPage() {
  return (
    <p>
      before <Counter start={3} label="</script><script>alert(1)</script>" /> after
    </p>
  );
}
