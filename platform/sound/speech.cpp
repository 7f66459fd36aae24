// Spoken prompts through espeak-ng; see speech.hpp.
#include "platform/sound/speech.hpp"

#include "platform/sound/sound.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>

extern char** environ;

namespace jf::sound {

namespace {

// Cut at a character boundary (never half a UTF-8 character) at most `max` bytes in.
std::string_view cut(std::string_view text, size_t max) {
    if (text.size() <= max) return text;
    size_t n = max;
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80)
        --n;
    return text.substr(0, n);
}

bool write_all(int fd, std::string_view s) {
    while (!s.empty()) {
        ssize_t w = ::write(fd, s.data(), s.size());
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        s.remove_prefix(static_cast<size_t>(w));
    }
    return true;
}

// Runs espeak-ng with the text on its standard input; its standard output (the WAV when
// `wav_path` is empty) into `out`.
bool run_espeak(std::string_view text, std::string_view voice, const std::string& wav_path,
                std::string* out, std::string* error) {
    int in[2], res[2];
    if (::pipe2(in, O_CLOEXEC) != 0) {
        if (error) *error = std::string("pipe: ") + std::strerror(errno);
        return false;
    }
    if (::pipe2(res, O_CLOEXEC) != 0) {
        ::close(in[0]);
        ::close(in[1]);
        if (error) *error = std::string("pipe: ") + std::strerror(errno);
        return false;
    }
    std::string v(voice), speed = std::to_string(kSpeechWpm);
    std::vector<std::string> args = {"espeak-ng", "-v", v, "-s", speed, "--stdin"};
    if (wav_path.empty())
        args.push_back("--stdout");
    else
        args.insert(args.end(), {"-w", wav_path});
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, res[1], 1);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid = -1;
    int rc = posix_spawnp(&pid, "espeak-ng", &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    ::close(in[0]);
    ::close(res[1]);
    if (rc != 0) {
        ::close(in[1]);
        ::close(res[0]);
        if (error) *error = std::string("espeak-ng: ") + std::strerror(rc);
        return false;
    }
    // The text is far below a pipe's buffer (kSpeechMaxBytes), so writing it all before reading
    // cannot deadlock. A reader that went away must not kill the kiosk with SIGPIPE.
    std::string line(cut(text, kSpeechMaxBytes));
    line += '\n';
    sigset_t pipe_set, old_set;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old_set);
    write_all(in[1], line);
    ::close(in[1]);
    timespec none{0, 0};
    while (sigtimedwait(&pipe_set, nullptr, &none) > 0) {
    } // a SIGPIPE raised by the write above is consumed here, not left pending
    pthread_sigmask(SIG_SETMASK, &old_set, nullptr);
    char buf[65536];
    for (;;) {
        ssize_t n = ::read(res[0], buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        if (out) out->append(buf, static_cast<size_t>(n));
    }
    ::close(res[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        if (error) *error = "espeak-ng failed (status " + std::to_string(status) + ")";
        return false;
    }
    return true;
}

uint32_t le32(const char* p) {
    auto u = [&](int i) { return static_cast<uint32_t>(static_cast<unsigned char>(p[i])); };
    return u(0) | u(1) << 8 | u(2) << 16 | u(3) << 24;
}
uint16_t le16(const char* p) {
    return static_cast<uint16_t>(static_cast<unsigned char>(p[0]) | static_cast<unsigned char>(p[1])
                                                                        << 8);
}

// The samples of a 16-bit mono PCM WAV held in `wav`. A streamed WAV (espeak-ng --stdout) has
// no real sizes in its header: its data run to the end.
bool parse_wav(const std::string& wav, std::vector<int16_t>* samples, int* rate) {
    if (wav.size() < 12 || wav.compare(0, 4, "RIFF") != 0 || wav.compare(8, 4, "WAVE") != 0)
        return false;
    size_t at = 12;
    bool fmt_ok = false;
    while (at + 8 <= wav.size()) {
        const char* h = wav.data() + at;
        uint32_t len = le32(h + 4);
        if (std::memcmp(h, "fmt ", 4) == 0 && at + 8 + 16 <= wav.size()) {
            const char* f = h + 8;
            fmt_ok = le16(f) == 1 && le16(f + 2) == 1 && le16(f + 14) == 16;
            if (rate) *rate = static_cast<int>(le32(f + 4));
        } else if (std::memcmp(h, "data", 4) == 0) {
            if (!fmt_ok) return false;
            size_t n = std::min<size_t>(len, wav.size() - at - 8) / 2;
            samples->resize(n);
            std::memcpy(samples->data(), h + 8, n * 2);
            return true;
        }
        if (len > wav.size()) return false;
        at += 8 + len + (len & 1);
    }
    return false;
}

} // namespace

bool synthesize_speech(std::string_view text, std::string_view voice, std::vector<int16_t>* out,
                       std::string* error) {
    std::string wav;
    if (!run_espeak(text, voice, "", &wav, error)) return false;
    int rate = 0;
    if (!parse_wav(wav, out, &rate) || rate != kRate) {
        if (error)
            *error = "espeak-ng wrote no 16-bit mono WAV at " + std::to_string(kRate) + " Hz";
        return false;
    }
    return true;
}

bool speak_to_file(std::string_view text, std::string_view voice, const std::string& wav_path,
                   std::string* error) {
    return run_espeak(text, voice, wav_path, nullptr, error);
}

bool read_wav(const std::string& path, std::vector<int16_t>* samples, int* rate) {
    std::ifstream f(path, std::ios::binary);
    if (!f) return false;
    std::string wav((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    return parse_wav(wav, samples, rate);
}

Speaker::Speaker(Player* player) : player_(player) {
    thread_ = std::thread([this] { run(); });
}

Speaker::~Speaker() {
    {
        std::lock_guard<std::mutex> l(mu_);
        stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
}

void Speaker::say(std::string_view text, std::string_view voice) {
    {
        std::lock_guard<std::mutex> l(mu_);
        queue_.clear(); // only the latest prompt matters
        queue_.emplace_back(std::string(text), std::string(voice));
        busy_ = true;
    }
    cv_.notify_all();
}

std::string Speaker::last_error() const {
    std::lock_guard<std::mutex> l(mu_);
    return error_;
}

void Speaker::run() {
    for (;;) {
        std::pair<std::string, std::string> item;
        {
            std::unique_lock<std::mutex> l(mu_);
            cv_.wait(l, [&] { return stop_ || !queue_.empty(); });
            if (stop_) return;
            item = std::move(queue_.front());
            queue_.pop_front();
        }
        std::vector<int16_t> samples;
        std::string err;
        bool ok = synthesize_speech(item.first, item.second, &samples, &err);
        {
            std::lock_guard<std::mutex> l(mu_);
            if (!ok && error_.empty()) error_ = err;
            // A newer sentence queued meanwhile replaces this one before it is heard.
            if (ok && queue_.empty() && player_) player_->play_samples(std::move(samples));
            if (ok) ++spoken_;
            busy_ = !queue_.empty();
        }
    }
}

bool Speaker::busy() const {
    return busy_.load() || (player_ && player_->playing());
}

} // namespace jf::sound
