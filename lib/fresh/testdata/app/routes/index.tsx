export default function Home() {
  return <p>home page</p>;
}
