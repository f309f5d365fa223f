import { useState } from "preact/hooks";

interface Props {
  start: number;
  label: string;
}

/** A counter: the fixture's island. */
export default function Counter({ start, label }: Props) {
  const [count, setCount] = useState(start);
  return (
    <button type="button" class="counter" title={label} onClick={() => setCount(count + 1)}>
      {count}
    </button>
  );
}
