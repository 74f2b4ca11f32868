# Locust's figure for perf/bench/streams.sh: FastHttpUser streams /generate_stream and times the
# first token itself (Locust's own statistics round to 2 significant digits); the server's TTFT
# comes from the `timings` of lorax-sim's final event. Exact p99s are printed at the end.
import json
import time

from locust import FastHttpUser, events, task

client_ttft_ms = []
server_ttft_ms = []
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
        if first is not None and "time_to_first_token_ms" in timings:
            client_ttft_ms.append((first - start) * 1000.0)
            server_ttft_ms.append(timings["time_to_first_token_ms"])


def p99(values):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]


@events.quitting.add_listener
def report(environment, **_):
    print(f"LOCUST_STREAMS={len(client_ttft_ms)}")
    print(f"LOCUST_CLIENT_TTFT_P99_MS={p99(client_ttft_ms):.3f}")
    print(f"LOCUST_SERVER_TTFT_P99_MS={p99(server_ttft_ms):.3f}")
    print(f"LOCUST_OVERHEAD_P99_MS={p99(client_ttft_ms) - p99(server_ttft_ms):.3f}")
