#!/usr/bin/env python3
"""Load for POST /api/v1/events: RATE requests a second for SECONDS seconds on
loopback, from a pool of keep-alive connections, each request one ticket's
`opened` and `responded` events; every RETRY_EVERY-th request is sent a second
time at once from another connection, as a webhook retried after a timeout.

usage: ingest_load.py PORT TOKEN RATE SECONDS RETRY_EVERY PREFIX

Prints one JSON line: requests sent, answers by status, events the answers
say were stored and were duplicates, the slowest answer, the rate achieved.
"""
import http.client
import json
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

port, token, rate, seconds, retry_every, prefix = (
    int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4]),
    int(sys.argv[5]), sys.argv[6])
total = rate * seconds
local = threading.local()
lock = threading.Lock()
statuses = {}
stored = duplicate = 0
slowest = 0.0


def body(i):
    ticket = f"{prefix}-{i}"
    return json.dumps([
        {"type": "event", "event_id": f"{prefix}:{i}:opened", "ticket": ticket,
         "kind": "opened", "at": "2026-12-01T09:00:00Z", "partner": "acme",
         "severity": "B"},
        {"type": "event", "event_id": f"{prefix}:{i}:responded", "ticket": ticket,
         "kind": "responded", "at": "2026-12-01T09:30:00Z"},
    ])


def post(data):
    global stored, duplicate, slowest
    for attempt in range(2):  # a keep-alive connection the server closed: once more
        conn = getattr(local, "conn", None)
        if conn is None:
            conn = local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        began = time.monotonic()
        try:
            conn.request("POST", "/api/v1/events", data,
                         {"Authorization": "Bearer " + token,
                          "Content-Type": "application/json"})
            response = conn.getresponse()
            answer = response.read()
        except (ConnectionError, http.client.HTTPException, OSError) as e:
            conn.close()
            local.conn = None
            if attempt == 1:
                with lock:
                    statuses[type(e).__name__] = statuses.get(type(e).__name__, 0) + 1
            continue
        took = time.monotonic() - began
        with lock:
            statuses[response.status] = statuses.get(response.status, 0) + 1
            slowest = max(slowest, took)
            if response.status == 200:
                result = json.loads(answer)
                stored += result["stored"]
                duplicate += result["duplicate"]
        return


def main():
    begin = time.monotonic()
    with ThreadPoolExecutor(max_workers=48) as pool:
        for i in range(total):
            due = begin + i / rate
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            data = body(i)
            pool.submit(post, data)
            if retry_every and i % retry_every == 0:
                pool.submit(post, data)
    took = time.monotonic() - begin
    sent = total + (len(range(0, total, retry_every)) if retry_every else 0)
    print(json.dumps({"requests": sent, "statuses": {str(k): v for k, v in statuses.items()},
                      "stored": stored, "duplicate": duplicate,
                      "slowest_s": round(slowest, 3), "seconds": round(took, 1),
                      "rate": round(total / took, 1)}))


main()
