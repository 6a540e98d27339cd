#!/usr/bin/env python3
"""Sets up a platform for the HTTP benchmark (.ci/measure-http), over its REST API as an administrator would:
logs in as the administrator from the environment (enrolling the second factor with a code computed here, RFC 6238),
provisions the Chicago site (and with "all", every site kit in one request), creates a police analyst at Chicago,
logs them in and prints their session cookie. Usage: setup_sites.py BASE_URL ADMIN PASSWORD one|all"""
import base64, hashlib, hmac, http.cookiejar, json, struct, sys, time, urllib.request

base, admin, password, mode = sys.argv[1:5]
ANALYST_PASSWORD = "copper lantern under 9 stairs"


def totp(secret, step):
    key = base64.b32decode(secret.replace(" ", "").upper() + "=" * (-len(secret.replace(" ", "")) % 8))
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return "%06d" % ((struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000)


class Client:
    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.csrf = ""

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(base + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if self.csrf:
            request.add_header("X-CSRF-Token", self.csrf)
        try:
            with self.opener.open(request, timeout=120) as answer:
                return answer.status, json.loads(answer.read() or b"{}")
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"{}")

    def log_in(self, user, secret_password):
        status, answer = self.call("POST", "/api/v1/session", {"username": user, "password": secret_password})
        if status == 202:
            token = answer["token"]
            _, enrolment = self.call("POST", "/api/v1/session/second-factor/enrolment", {"token": token})
            status, answer = self.call("POST", "/api/v1/session/second-factor",
                                       {"token": token, "code": totp(enrolment["secret"], int(time.time()) // 30)})
        if status != 200:
            sys.exit("log-in of %s failed: %s %s" % (user, status, answer))
        self.csrf = answer["csrfToken"]


root = Client()
root.log_in(admin, password)
status, answer = root.call("POST", "/api/v1/sites", {"template": "chicago"})
assert status == 201, (status, answer)
if mode == "all":
    started = time.time()
    status, answer = root.call("POST", "/api/v1/sites", {"templates": "all"})
    assert status == 200, (status, answer)
    print("provisioned %d site kits in one request: %.0f ms (%d ms in the platform)"
          % (len(answer["sites"]), (time.time() - started) * 1000, answer["milliseconds"]), file=sys.stderr)
status, answer = root.call("POST", "/api/v1/users", {"username": "bench-analyst", "displayName": "Bench analyst",
                                                     "password": ANALYST_PASSWORD,
                                                     "grants": [{"role": "police", "site": "chicago"}]})
assert status == 201, (status, answer)
analyst = Client()
analyst.log_in("bench-analyst", ANALYST_PASSWORD)
print("; ".join("%s=%s" % (c.name, c.value) for c in analyst.jar))
