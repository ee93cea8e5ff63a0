-- Dovecot Lua passdb for Keycloak App Passwords that mints no token: every plain-text login (IMAP/POP3 LOGIN,
-- AUTH PLAIN/LOGIN, SMTP AUTH through Dovecot's SASL) becomes one GET of the extension's forward-auth endpoint
-- with "Authorization: Basic user:password" and "X-Forwarded-For: <mail client's IP>". No token, no user session.
-- 200 = logged in (the login continues under the Keycloak username from X-Auth-Username, so a login by e-mail
-- address becomes the username), 401 = refused, 403 = right app password but the account cannot log in (pending
-- required actions, realm disabled), anything else (429 rate limit, 5xx, no answer: Dovecot's HTTP client reports
-- connection errors and timeouts as status 9000 and up) = temporary failure.
--
-- Needs Dovecot >= 2.3.19 (dovecot.http) and its Lua auth plugin (Debian: dovecot-auth-lua). Install it as
-- /etc/dovecot/app-password-passdb.lua and include dovecot-2.3-lua.conf or dovecot-2.4-lua.conf (next to this file). Set the URL below
-- (https:// in production). Keycloak only uses X-Forwarded-For when it trusts Dovecot's address
-- (--proxy-headers=xforwarded --proxy-trusted-addresses=<Dovecot's address>); see docs/mail-servers.md.
-- Tested unchanged by MailLuaPassdbIT with Debian 12's Dovecot 2.3.19.1 and by MailServers24IT with Debian 13's
-- 2.4.1 (the tests replace only the URL's address and realm).
--
-- Dovecot 2.4 can also set the URL with `lua_settings { forward_auth_url = ... }` (passed to script_init(); not
-- tested).

-- Your Keycloak, your realm, and ?client_id= of the mail client: only app passwords usable for that client get in.
-- The client is fixed here; nothing the mail client sends can change it.
local forward_auth_url = "https://keycloak.example.org/realms/example/app-passwords/forward-auth?client_id=mail"
local client = nil

function script_init(settings)
  if type(settings) == "table" and settings.forward_auth_url ~= nil then
    forward_auth_url = settings.forward_auth_url
  end
  return 0 -- 2.3 wants 0; 2.4 ignores the value
end

local B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
local function base64(s)
  local out = {}
  for i = 1, #s, 3 do
    local a, b, c = s:byte(i, i + 2)
    local n = (a << 16) | ((b or 0) << 8) | (c or 0)
    local chars = math.min(#s - i + 1, 3) + 1 -- 3 bytes -> 4 chars, 2 -> 3 (+ "="), 1 -> 2 (+ "==")
    for j = 1, 4 do
      local k = (n >> (6 * (4 - j))) & 63
      out[#out + 1] = j <= chars and B64:sub(k + 1, k + 1) or "="
    end
  end
  return table.concat(out)
end

local function http_client()
  if client == nil then
    -- 2.3 knows only its own names (msecs); 2.4 refuses them ("... is unknown setting") and takes the
    -- http_client_* setting names without the prefix, with units.
    local ok, c = pcall(dovecot.http.client, {
      request_timeout_msecs = 10000, connect_timeout_msecs = 5000, max_attempts = 1,
      user_agent = "dovecot-app-passwords" })
    if not ok then
      c = dovecot.http.client({
        request_timeout = "10s", connect_timeout = "5s", request_max_attempts = "1",
        user_agent = "dovecot-app-passwords" })
    end
    client = c
  end
  return client
end

function auth_password_verify(req, password)
  local request = http_client():request({ url = forward_auth_url, method = "GET" })
  request:add_header("Authorization", "Basic " .. base64(req.user .. ":" .. password))
  if req.remote_ip ~= nil and req.remote_ip ~= "" then
    request:add_header("X-Forwarded-For", req.remote_ip)
  end
  local response = request:submit() -- blocks this process until the answer: run the passdb in auth workers
  local status = response:status()
  if status == 200 then
    local fields = {}
    -- X-Auth-Username is UTF-8, percent-encoded (RFC 3986).
    local username = response:header("X-Auth-Username"):gsub("%%(%x%x)", function(hex)
      return string.char(tonumber(hex, 16))
    end)
    if username ~= "" then
      fields.user = username
    end
    return dovecot.auth.PASSDB_RESULT_OK, fields
  elseif status == 401 then
    return dovecot.auth.PASSDB_RESULT_PASSWORD_MISMATCH, "forward-auth refused the login (401)"
  elseif status == 403 then
    return dovecot.auth.PASSDB_RESULT_USER_DISABLED, "forward-auth: " .. response:payload()
  end
  return dovecot.auth.PASSDB_RESULT_INTERNAL_FAILURE,
    "forward-auth answered " .. status .. " " .. (response:reason() or "")
end

-- Only plain-text mechanisms can work (the password must reach Keycloak); no credentials lookups.
function auth_passdb_lookup(req)
  return dovecot.auth.PASSDB_RESULT_USER_UNKNOWN, "no credentials lookups"
end
