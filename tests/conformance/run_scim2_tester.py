"""Runs scim2-tester's checks against a SCIM server and prints one JSON line per check.

Usage: run_scim2_tester.py BASE_URL TOKEN
Exit status 0 when every check of Users and Groups passed and none was skipped, 1 otherwise.
"""

import json
import sys

from httpx2 import Client
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server

PASSING = {Status.SUCCESS, Status.COMPLIANT, Status.ACCEPTABLE}


def main() -> int:
    base_url, token = sys.argv[1], sys.argv[2]
    http = Client(base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30)
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
