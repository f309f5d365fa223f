export default function Pricing() {
  return <p>pricing page</p>;
}
