-- wrk script: cycles through the request paths of a workload file (bench/gen_workload.py:
-- "CATEGORY<TAB>/v1/search?..." per line), one after another, over keep-alive
-- connections, and prints a JSON summary (latency percentiles in microseconds).
--
--   wrk -t1 -c8 -d20s --timeout 30s -s bench/wrk_workload.lua http://127.0.0.1:PORT -- workload.txt

local paths = {}
local idx = 0

function init(args)
  local file = args[1] or "workload.txt"
  for line in io.lines(file) do
    local tab = line:find("\t", 1, true)
    local path = tab and line:sub(tab + 1) or line
    if #path > 0 then paths[#paths + 1] = path end
  end
  if #paths == 0 then error("no requests in " .. file) end
  idx = (tonumber(args[2]) or 0) % #paths
end

function request()
  idx = idx % #paths + 1
  return wrk.format("GET", paths[idx])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"p50": %d, "p90": %d, "p95": %d, "p99": %d, "mean": %.1f, "max": %d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
    latency.mean, latency.max))
end
