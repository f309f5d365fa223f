export default function BlogIndex() {
  return <p>blog index</p>;
}
