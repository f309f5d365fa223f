-- wrk script for bench/load.ts: counts every status other than 200 as an error (wrk itself counts
-- only >= 400), tallies the Content-Encoding of the responses, and prints one JSON line
-- ("WRK_REPORT {...}") with the totals and the latency percentiles in microseconds.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non200 = 0
  encodings = {}
end

function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
  end
  local coding = headers["content-encoding"] or headers["Content-Encoding"] or "identity"
  encodings[coding] = (encodings[coding] or 0) + 1
end

function done(summary, latency, requests)
  local bad = 0
  local codings = {}
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non200")
    for coding, n in pairs(thread:get("encodings")) do
      codings[coding] = (codings[coding] or 0) + n
    end
  end
  local parts = {}
  for coding, n in pairs(codings) do
    table.insert(parts, string.format('"%s":%d', coding, n))
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_REPORT {"requests":%d,"durationUs":%d,"bytes":%d,"connect":%d,"read":%d,' ..
      '"write":%d,"status":%d,"timeout":%d,"non200":%d,"p50Us":%d,"p99Us":%d,"maxUs":%d,' ..
      '"encodings":{%s}}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, bad, latency:percentile(50), latency:percentile(99), latency.max,
    table.concat(parts, ",")))
end
