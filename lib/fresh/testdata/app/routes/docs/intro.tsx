export default function Intro() {
  return <p>static intro</p>;
}
