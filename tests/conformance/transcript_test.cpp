// Golden transcripts (tests/conformance/transcripts/*.txt, format in its README.md): a request and
// the exact response LoRAX's router or vLLM's OpenAI server gives it, written from their code.
// Each is replayed against the simulator in that dialect, which must answer byte for byte (up to
// the placeholders for ids, clocks and timings), and the answer is then read by loadgate's own
// reader, which must see what the transcript says a user's run records.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "loadgate/llm/non_streaming_reader.hpp"
#include "loadgate/llm/stream_reader.hpp"
#include "sim_process.hpp"
#include "test_client.hpp"

namespace loadgate {
namespace {

namespace fs = std::filesystem;

struct transcript {
  std::string name;  // the file's stem
  std::vector<std::string> sim_flags;
  std::map<std::string, std::string> expect;  // what loadgate's reader sees: key=value
  sim_test::request request;
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // lower-case names
  std::string body;
};

std::vector<std::string> words(const std::string& text) {
  std::istringstream in{text};
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Throws std::runtime_error naming the file and what is wrong: a broken transcript must not pass.
transcript read_transcript(const fs::path& file) {
  std::ifstream in{file, std::ios::binary};
  std::stringstream all;
  all << in.rdbuf();
  std::string text = all.str();
  const auto fail = [&](const std::string& why) { throw std::runtime_error(file.string() + ": " + why); };
  transcript t;
  t.name = file.stem().string();
  std::size_t pos = 0;
  bool in_request = false, headers_done = false;
  while (pos < text.size() && !headers_done) {
    const auto end = text.find('\n', pos);
    if (end == std::string::npos) fail("ends before the response's blank '<' line");
    const std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    if (line.empty() || line.starts_with("#")) continue;
    if (line.starts_with("sim:")) {
      t.sim_flags = words(line.substr(4));
    } else if (line.starts_with("expect:")) {
      for (const auto& pair : words(line.substr(7))) {
        const auto eq = pair.find('=');
        if (eq == std::string::npos) fail("expect: '" + pair + "' is not key=value");
        t.expect[pair.substr(0, eq)] = pair.substr(eq + 1);
      }
    } else if (line.starts_with("> ")) {
      const auto rest = line.substr(2);
      if (!in_request) {
        const auto space = rest.find(' ');
        if (space == std::string::npos) fail("the first '>' line is METHOD PATH");
        t.request.method = rest.substr(0, space);
        t.request.target = rest.substr(space + 1);
        in_request = true;
      } else if (lower(rest).starts_with("content-type:")) {
        t.request.content_type = rest.substr(rest.find(':') + 1);
        t.request.content_type.erase(0, t.request.content_type.find_first_not_of(' '));
      } else {
        t.request.body += (t.request.body.empty() ? "" : "\n") + rest;
      }
    } else if (line.starts_with("<")) {
      const auto rest = line.size() > 2 ? line.substr(2) : std::string{};
      if (t.status == 0) {
        t.status = std::stoi(rest);
      } else if (rest.empty()) {
        headers_done = true;
      } else {
        const auto colon = rest.find(':');
        if (colon == std::string::npos) fail("header line '" + rest + "' has no ':'");
        auto value = rest.substr(colon + 1);
        value.erase(0, value.find_first_not_of(' '));
        t.headers.emplace_back(lower(rest.substr(0, colon)), value);
      }
    } else {
      fail("unexpected line '" + line + "' (see transcripts/README.md)");
    }
  }
  if (!headers_done || t.status == 0) fail("no response: '< STATUS', headers, then a lone '<'");
  t.body = text.substr(pos);
  if (!t.body.empty() && t.body.back() == '\n') t.body.pop_back();  // the file's own last line feed
  return t;
}

// Placeholders: <<hex32>> a uuid's hex digits, <<int>> digits, <<ms>> a decimal number, <<text>>
// characters up to the next '"' (a message the simulator words its own way), <<rest>> everything
// to the end. `why` says where the first difference is.
bool matches(std::string_view expected, std::string_view actual, std::string& why) {
  std::size_t e = 0, a = 0;
  while (e < expected.size()) {
    if (expected.substr(e, 2) == "<<") {
      const auto close = expected.find(">>", e);
      const auto kind = expected.substr(e + 2, close - e - 2);
      const auto start = a;
      if (kind == "hex32") {
        while (a < actual.size() && a - start < 32 && std::isxdigit(static_cast<unsigned char>(actual[a])) &&
               !std::isupper(static_cast<unsigned char>(actual[a])))
          ++a;
        if (a - start != 32) break;
      } else if (kind == "text") {
        while (a < actual.size() && actual[a] != '"') ++a;
      } else if (kind == "rest") {
        a = actual.size();
      } else if (kind == "int" || kind == "ms") {
        while (a < actual.size() && (std::isdigit(static_cast<unsigned char>(actual[a])) || (kind == "ms" && actual[a] == '.')))
          ++a;
        if (a == start) break;
      } else {
        why = "unknown placeholder <<" + std::string{kind} + ">>";
        return false;
      }
      e = close + 2;
      continue;
    }
    if (a >= actual.size() || expected[e] != actual[a]) break;
    ++e;
    ++a;
  }
  if (e == expected.size() && a == actual.size()) return true;
  const auto context = [](std::string_view s, std::size_t at) {
    return std::string{s.substr(at >= 40 ? at - 40 : 0, 80)};
  };
  why = "differs at byte " + std::to_string(a) + " of the answer:\n  expected ..." + context(expected, e) +
        "...\n  answered ..." + context(actual, a) + "...";
  return false;
}

std::vector<fs::path> transcript_files() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator{LOADGATE_TRANSCRIPTS_DIR})
    if (entry.path().extension() == ".txt") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

// One simulator per set of flags, for the whole program.
std::uint16_t sim_port(const std::vector<std::string>& flags) {
  static std::map<std::vector<std::string>, std::unique_ptr<sim_test::sim_process>> sims;
  auto& sim = sims[flags];
  if (!sim) sim = std::make_unique<sim_test::sim_process>(flags);
  return sim->port();
}

// What loadgate's reader makes of a response, as key=value like a transcript's expect line. The
// reply read is the simulator's, once it matched the transcript: the same bytes, with the values
// that the placeholders stand for.
std::map<std::string, std::string> as_loadgate_reads(const sim_test::reply& r) {
  const bool stream = r.header("content-type").starts_with("text/event-stream");
  std::unique_ptr<llm::llm_reader> reader;
  if (stream) reader = std::make_unique<llm::stream_reader>();
  else reader = std::make_unique<llm::non_streaming_reader>();
  const auto now = clock::now();
  reader->on_status(static_cast<unsigned>(r.status));
  for (const auto& [name, value] : r.headers) reader->on_header(name, value);
  reader->on_body(r.body, now);
  const auto failure = reader->finish(now);
  const auto& o = reader->observation();
  std::map<std::string, std::string> seen;
  seen["failure"] = failure ? std::string{to_string(*failure)} : "none";
  if (o.output_tokens) seen["output_tokens"] = std::to_string(*o.output_tokens);
  if (o.prompt_tokens) seen["prompt_tokens"] = std::to_string(*o.prompt_tokens);
  if (o.finish_reason) seen["finish_reason"] = *o.finish_reason;
  if (stream) seen["content_events"] = std::to_string(o.content_events);
  if (!o.error_type.empty()) seen["error_type"] = o.error_type;
  seen["server_ttft"] = o.server.time_to_first_token_ms ? "yes" : "no";
  return seen;
}

class Transcript : public ::testing::TestWithParam<fs::path> {};

TEST_P(Transcript, TheSimulatorAnswersItAndLoadgateReadsIt) {
  const auto t = read_transcript(GetParam());
  auto request = t.request;
  request.port = sim_port(t.sim_flags);
  const auto reply = sim_test::send(request);
  ASSERT_EQ(reply.status, t.status) << reply.error << reply.body;
  std::set<std::string> listed;
  for (const auto& [name, value] : t.headers) {
    listed.insert(name);
    std::string why;
    EXPECT_TRUE(matches(value, reply.header(name), why)) << "header " << name << ": " << why;
  }
  // Framing headers follow from the body; any other header must be in the transcript.
  for (const auto& [name, value] : reply.headers)
    if (!listed.contains(name) && name != "content-length" && name != "transfer-encoding" && name != "connection")
      ADD_FAILURE() << "header " << name << ": " << value << " is not in the transcript";
  std::string why;
  EXPECT_TRUE(matches(t.body, reply.body, why)) << why;

  if (t.expect.contains("reader") && t.expect.at("reader") == "none") return;  // not a generation: no LLM reader
  const auto seen = as_loadgate_reads(reply);
  for (const auto& [key, value] : t.expect) {
    const auto it = seen.find(key);
    EXPECT_TRUE(it != seen.end() && it->second == value)
        << key << ": the transcript expects " << value << ", loadgate's reader "
        << (it == seen.end() ? std::string{"has none"} : "reads " + it->second);
  }
  EXPECT_FALSE(t.expect.empty()) << "a transcript says what loadgate reads from it";
}

INSTANTIATE_TEST_SUITE_P(Golden, Transcript, ::testing::ValuesIn(transcript_files()),
                         [](const auto& info) {
                           auto name = info.param.stem().string();
                           for (auto& c : name)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

TEST(TranscriptMatching, TheFolderHoldsTranscriptsOfBothDialects) {
  std::size_t lorax = 0, vllm = 0;
  for (const auto& file : transcript_files()) {
    const auto t = read_transcript(file);  // every one readable
    const bool as_vllm = std::find(t.sim_flags.begin(), t.sim_flags.end(), "vllm") != t.sim_flags.end();
    ++(as_vllm ? vllm : lorax);
  }
  EXPECT_GE(lorax, 5u);
  EXPECT_GE(vllm, 5u);
}

TEST(TranscriptMatching, PlaceholdersStandForTheirCharactersOnly) {
  std::string why;
  EXPECT_TRUE(matches(R"({"id":"cmpl-<<hex32>>","t":<<int>>})", R"({"id":"cmpl-0123456789abcdef0123456789abcdef","t":17})", why));
  EXPECT_FALSE(matches("cmpl-<<hex32>>", "cmpl-0123", why)) << "32 digits";
  EXPECT_FALSE(matches("<<int>> ms", "x ms", why));
  EXPECT_TRUE(matches("<<ms>>", "12.345", why));
  EXPECT_TRUE(matches(R"({"m":"<<text>>","n":1})", R"({"m":"any words, 'quoted'","n":1})", why));
  EXPECT_FALSE(matches(R"({"m":"<<text>>"})", R"({"m":"a","b":"c"})", why)) << "text stops at a quote";
  EXPECT_TRUE(matches("Failed: <<rest>>", "Failed: whatever follows", why));
  EXPECT_FALSE(matches("abc", "abd", why));
  EXPECT_NE(why.find("differs at byte 2"), std::string::npos) << why;
  EXPECT_FALSE(matches("abc", "abcd", why)) << "the answer has more";
}

}  // namespace
}  // namespace loadgate
