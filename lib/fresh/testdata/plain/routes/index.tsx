export default function Plain() {
  return <p>no islands here</p>;
}
