-- wrk script: every request asks for a different selection (year, direction, modality,
-- state), so the server's caches rarely help: the cost of computing a page. Each wrk thread
-- draws its own sequence (seeded by its number), so threads do not ask for the same pages.
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end
function init(args)
  math.randomseed(os.time() * 1000 + (id or 0))
end
local directions = { "", "given", "received", "both" }
local modalities = { "", "bilateral", "triangular", "regional", "multilateral" }
request = function()
  local query = string.format("year=%d&direction=%s&modality=%s&state=%02d",
    math.random(2000, 2030), directions[math.random(#directions)],
    modalities[math.random(#modalities)], math.random(1, 32))
  local sep = string.find(wrk.path, "?", 1, true) and "&" or "?"
  return wrk.format("GET", wrk.path .. sep .. query)
end
