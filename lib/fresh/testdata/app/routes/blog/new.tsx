export default function NewPost() {
  return <p>static new</p>;
}
