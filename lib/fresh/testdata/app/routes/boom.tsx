export const handler = {
  GET(): Response {
    throw new Error("kaboom");
  },
};

export default function Boom() {
  return <p>never</p>;
}
