import Counter from "../islands/Counter.tsx";

export default function BadProps() {
  const props = { start: 1, label: "x", onPick: () => {} };
  return <Counter {...props} />;
}
