-- wrk script: every request asks for a different selection (year, direction, modality,
-- state), so the server's report cache rarely helps: the cost of computing a page.
math.randomseed(os.time())
local directions = { "", "given", "received", "both" }
local modalities = { "", "bilateral", "triangular", "regional", "multilateral" }
request = function()
  local query = string.format("year=%d&direction=%s&modality=%s&state=%02d",
    math.random(2000, 2030), directions[math.random(#directions)],
    modalities[math.random(#modalities)], math.random(1, 32))
  local sep = string.find(wrk.path, "?", 1, true) and "&" or "?"
  return wrk.format("GET", wrk.path .. sep .. query)
end
