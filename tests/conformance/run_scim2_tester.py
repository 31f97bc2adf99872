"""Runs scim2-tester's checks against a SCIM server and prints one JSON line per check.

Usage: run_scim2_tester.py BASE_URL TOKEN
Exit status 0 when every check of Users and Groups passed and none was skipped, 1 otherwise.
"""

import json
import sys

from httpx2 import Client, HTTPTransport
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server

PASSING = {Status.SUCCESS, Status.COMPLIANT, Status.ACCEPTABLE}

# wrangler dev's local proxy now and then drops a request on a pooled connection that hits kj's
# 5 s idle timeout and answers this 503 itself, without reaching the Worker
# (cloudflare/workers-sdk#14641, #15252; it retries GET only). Such a request is sent again.
PROXY_DROP = b"Your worker restarted mid-request."


class ProxyDropRetry(HTTPTransport):
    """Sends a request again (at most four times) when wrangler dev's proxy dropped it."""

    def handle_request(self, request):
        for _ in range(4):
            response = super().handle_request(request)
            if response.status_code != 503:
                return response
            body = response.read()
            if not body.startswith(PROXY_DROP):
                return response
            response.close()
        return super().handle_request(request)


def main() -> int:
    base_url, token = sys.argv[1], sys.argv[2]
    http = Client(
        base_url=base_url,
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
        transport=ProxyDropRetry(),
    )
    client = SyncSCIMClient(http)
    results = check_server(client, resource_types=["User", "Group"])
    failed = 0
    for result in results:
        ok = result.status in PASSING
        failed += not ok
        print(json.dumps({
            "ok": ok,
            "status": result.status.name,
            "title": result.title,
            "resourceType": getattr(result, "resource_type", None),
            "description": result.description,
            "reason": result.reason,
        }, default=str))
    print(json.dumps({"checks": len(results), "failed": failed}))
    return 1 if failed or not results else 0


if __name__ == "__main__":
    sys.exit(main())
