# The load of Evidence.LocustAndLoadgateStatsAreReadByOneScript, for Locust: users post a short
# generation to lorax-sim's /generate with 10-30 ms between requests, named "generate".
from locust import HttpUser, between, task


class GenerateUser(HttpUser):
    wait_time = between(0.01, 0.03)

    @task
    def generate(self):
        self.client.post("/generate", json={"inputs": "hello world", "parameters": {"max_new_tokens": 8}},
                         name="generate")
