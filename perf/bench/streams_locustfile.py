# Locust's figure for perf/bench/streams.sh: FastHttpUser streams /generate_stream and times the
# first token itself (Locust's own statistics round to 2 significant digits); the server's time
# from receipt to the first token comes from the `timings` of lorax-sim's final event, total −
# inference + TTFT (its TTFT is LoRAX's, from batch entry). Exact p99s are printed at the end.
import json
import time

from locust import FastHttpUser, events, task

client_ttft_ms = []
differences_ms = []  # per request: client TTFT − the server's receipt-to-first-token time
BODY = {"inputs": " ".join(["word"] * 16), "parameters": {"max_new_tokens": 32, "details": True}}


class StreamUser(FastHttpUser):
    @task
    def generate_stream(self):
        # No catch_response: its context manager leaves nothing to read from response.stream
        # (locust 2.0 / geventhttpclient 2.0), and readline() does not wait for data. read(n)
        # waits for n bytes, so n is far below one event's size: the first read returns when the
        # first event's bytes arrive.
        start = time.perf_counter()
        first = None
        body = bytearray()
        response = self.client.post("/generate_stream", json=BODY, stream=True)
        stream = response.stream
        while True:
            chunk = stream.read(32)
            if chunk and first is None:
                first = time.perf_counter()
            body += chunk
            # Not `or stream.message_complete`: the parser may see the end of the message while
            # the final event is still in its buffer; read() hands that over, then returns b"".
            if not chunk:
                break
        last = bytes(body).rstrip().rsplit(b"data:", 1)[-1]
        try:
            timings = json.loads(last).get("timings", {})
        except ValueError:
            return
        needed = ("time_to_first_token_ms", "total_ms", "inference_ms")
        if first is not None and all(key in timings for key in needed):
            client = (first - start) * 1000.0
            server = timings["total_ms"] - timings["inference_ms"] + timings["time_to_first_token_ms"]
            client_ttft_ms.append(client)
            differences_ms.append(client - server)


def percentile(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


@events.quitting.add_listener
def report(environment, **_):
    print(f"LOCUST_STREAMS={len(client_ttft_ms)}")
    print(f"LOCUST_CLIENT_TTFT_P99_MS={percentile(client_ttft_ms, 0.99):.3f}")
    print(f"LOCUST_PER_REQUEST_DIFFERENCE_P50_MS={percentile(differences_ms, 0.50):.3f}")
    print(f"LOCUST_PER_REQUEST_DIFFERENCE_P99_MS={percentile(differences_ms, 0.99):.3f}")
