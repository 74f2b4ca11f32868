#include "engine/metrics_scraper.hpp"

#include <exception>

#include "protocol/fetch.hpp"

namespace loadgate::engine {

metrics_scraper::metrics_scraper(llm::scrape_options options, clock::time_point start)
    : options_{std::move(options)}, start_{start}, thread_{[this] { scrape_until_stopped(); }} {}

metrics_scraper::~metrics_scraper() { stop(); }

void metrics_scraper::stop() {
  {
    const std::lock_guard lock{mutex_};
    stopped_ = true;
  }
  stopped_changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void metrics_scraper::scrape_until_stopped() {
  // On a fixed schedule from the run's start, so that each window gets one reading even when a
  // scrape takes a while.
  for (auto due = start_;; due += options_.interval) {
    {
      std::unique_lock lock{mutex_};
      if (stopped_changed_.wait_until(lock, due, [this] { return stopped_; })) return;
    }
    scrape_once();
  }
}

void metrics_scraper::scrape_once() {
  std::string error;
  std::map<std::string, double> reading;
  try {
    const auto answer = protocol::fetch_url(options_.source, options_.interval);
    if (answer.status != 200) error = "HTTP " + std::to_string(answer.status);
    else if (answer.truncated) error = "the metrics text is over " + std::to_string(protocol::fetch_body_limit >> 20) + " MiB";
    else reading = llm::server_readings(answer.body, options_.series);
  } catch (const std::exception& e) {
    error = e.what();
  }
  const auto window = time_series::index_of(clock::now() - start_);
  const std::lock_guard lock{mutex_};
  ++scrapes_;
  if (!error.empty()) {
    ++failures_;
    if (first_error_.empty()) first_error_ = error;
    return;
  }
  for (auto& [name, value] : reading) readings_[window][name] = value;
}

void metrics_scraper::fill(result& r) const {
  r.info.scrape_url = options_.source.url();
  r.info.scrapes = scrapes_;
  r.info.scrape_failures = failures_;
  r.info.scrape_error = first_error_;
  for (const auto& [window, reading] : readings_)
    for (const auto& [name, value] : reading) r.series.window(window).server[name] = value;
}

}  // namespace loadgate::engine
