// Destinations, sending with a deadline, and the print queue; see printer.hpp.
//
// Index
// - parse_destination
// - send: paths (files, USB printer class devices, serial ports), TCP raw port
// - PrintQueue
#include "platform/print/printer.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <linux/sockios.h>
#include <netdb.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

namespace jf::print {

// -----------------------------------------------------------------------------
// parse_destination
// -----------------------------------------------------------------------------

namespace {

bool all_digits(std::string_view s) {
    return !s.empty() && s.size() <= 7 &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

speed_t baud_constant(int baud) {
    switch (baud) {
    case 1200:
        return B1200;
    case 2400:
        return B2400;
    case 4800:
        return B4800;
    case 9600:
        return B9600;
    case 19200:
        return B19200;
    case 38400:
        return B38400;
    case 57600:
        return B57600;
    case 115200:
        return B115200;
    case 230400:
        return B230400;
    default:
        return 0;
    }
}

int baud_number(speed_t s) {
    for (int b : {1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400})
        if (baud_constant(b) == s) return b;
    return 0;
}

} // namespace

std::optional<Destination> parse_destination(std::string_view text, std::string* error_key) {
    auto fail = [&]() -> std::optional<Destination> {
        if (error_key) *error_key = "print.err.destination";
        return std::nullopt;
    };
    Destination d;
    d.text = std::string(text);
    if (text.empty() || text.size() > 1024) return fail();
    for (char c : text)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return fail();
    if (text.rfind("tcp://", 0) == 0) {
        std::string_view rest = text.substr(6);
        if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
        if (rest.empty()) return fail();
        d.kind = Destination::Kind::Tcp;
        std::string_view port;
        if (rest.front() == '[') { // [IPv6]:port
            size_t close = rest.find(']');
            if (close == std::string_view::npos) return fail();
            d.host = std::string(rest.substr(1, close - 1));
            std::string_view after = rest.substr(close + 1);
            if (!after.empty()) {
                if (after.front() != ':') return fail();
                port = after.substr(1);
                if (port.empty()) return fail();
            }
        } else {
            size_t colon = rest.rfind(':');
            d.host = std::string(rest.substr(0, colon));
            if (colon != std::string_view::npos) {
                port = rest.substr(colon + 1);
                if (port.empty()) return fail();
            }
        }
        // A colon belongs only inside the brackets of an IPv6 address.
        bool bracketed = rest.front() == '[';
        if (d.host.empty() ||
            d.host.find_first_of(bracketed ? "/@ ?#" : "/@ ?#:") != std::string::npos)
            return fail();
        if (!port.empty()) {
            if (!all_digits(port)) return fail();
            d.port = std::stoi(std::string(port));
            if (d.port < 1 || d.port > 65535) return fail();
        }
        return d;
    }
    if (text.find("://") != std::string_view::npos) return fail(); // no other schemes
    d.kind = Destination::Kind::Path;
    d.path = std::string(text);
    // A serial port's speed: /dev/ttyUSB0@9600.
    size_t at = text.rfind('@');
    if (at != std::string_view::npos && text.rfind("/dev/", 0) == 0) {
        std::string_view b = text.substr(at + 1);
        if (!all_digits(b) || !baud_constant(std::stoi(std::string(b)))) return fail();
        d.baud = std::stoi(std::string(b));
        d.path = std::string(text.substr(0, at));
    }
    if (d.path.empty() || d.path.back() == '/') return fail();
    return d;
}

// -----------------------------------------------------------------------------
// send
// -----------------------------------------------------------------------------

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kSliceMs = 100; // how often a waiting job looks at its cancel flag

std::string key_for_errno(int e, bool device) {
    switch (e) {
    case ENOENT:
    case ENODEV:
    case ENXIO:
    case ENOTDIR:
        return "print.err.no_device";
    case EACCES:
    case EPERM:
    case EROFS:
        return "print.err.permission";
    case EBUSY:
        return "print.err.busy";
    case EISDIR:
        return "print.err.destination";
    case ECONNREFUSED:
        return "print.err.refused";
    case EHOSTUNREACH:
    case ENETUNREACH:
    case ENETDOWN:
        return "print.err.unreachable";
    case ETIMEDOUT:
        return "print.err.timeout";
    case ENOSPC:
        // The USB printer class reports paper out as ENOSPC; on a file it is a full disk.
        return device ? "print.err.paper" : "print.err.io";
    default:
        return "print.err.io";
    }
}

struct Fd {
    int fd = -1;
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

// Waits until `fd` is ready for `events`, the deadline passes (ETIMEDOUT) or the job is cancelled
// (ECANCELED). Returns 0 when ready, else the errno.
int wait_ready(int fd, short events, Clock::time_point deadline, const std::atomic<bool>* cancel) {
    for (;;) {
        if (cancel && cancel->load()) return ECANCELED;
        auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) return ETIMEDOUT;
        pollfd p{fd, events, 0};
        int r = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, kSliceMs)));
        if (r > 0) return 0; // ready, or an error the next call reports
        if (r < 0 && errno != EINTR) return errno;
    }
}

// Writes everything to a non-blocking descriptor. 0 or the errno.
int write_all(int fd, std::string_view bytes, bool socket, Clock::time_point deadline,
              const std::atomic<bool>* cancel) {
    size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = socket ? ::send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL)
                           : ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n > 0) {
            done += static_cast<size_t>(n);
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return errno;
        if (int e = wait_ready(fd, POLLOUT, deadline, cancel)) return e;
    }
    return 0;
}

bool fail_with(std::string* error_key, std::string key) {
    if (error_key) *error_key = std::move(key);
    return false;
}

std::string key_for(int e, bool device) {
    if (e == ECANCELED) return "print.err.cancelled";
    return key_for_errno(e, device);
}

bool send_path(const Destination& d, std::string_view bytes, std::string* error_key,
               Clock::time_point deadline, int timeout_ms, const std::atomic<bool>* cancel) {
    struct stat st {};
    bool exists = ::stat(d.path.c_str(), &st) == 0;
    if (exists && S_ISDIR(st.st_mode)) return fail_with(error_key, "print.err.destination");
    // Files collect receipts one after another; nothing is ever created under /dev.
    bool file = exists ? S_ISREG(st.st_mode) : d.path.rfind("/dev/", 0) != 0;
    Fd f;
    int flags = O_WRONLY | O_CLOEXEC | O_NOCTTY;
    f.fd = file ? ::open(d.path.c_str(), flags | O_APPEND | O_CREAT, 0644)
                : ::open(d.path.c_str(), flags | O_NONBLOCK);
    if (f.fd < 0) return fail_with(error_key, key_for(errno, !file));
    bool tty = !file && ::isatty(f.fd);
    if (tty) {
        // A serial printer wants raw bytes: no newline translation, no flow control by XON/XOFF.
        termios t{};
        if (::tcgetattr(f.fd, &t) == 0) {
            ::cfmakeraw(&t);
            t.c_cflag |= CLOCAL | CREAD;
            if (d.baud) {
                ::cfsetispeed(&t, baud_constant(d.baud));
                ::cfsetospeed(&t, baud_constant(d.baud));
            }
            ::tcsetattr(f.fd, TCSANOW, &t);
            // A slip at 9600 baud takes ~20 s on the wire: the deadline counts from what the
            // line can carry, not only from the printer's answer.
            int baud = d.baud ? d.baud : baud_number(::cfgetospeed(&t));
            if (baud > 0)
                deadline =
                    Clock::now() + std::chrono::milliseconds(timeout_ms) +
                    std::chrono::milliseconds(static_cast<long long>(bytes.size()) * 10'000 / baud);
        }
    }
    if (int e = write_all(f.fd, bytes, false, deadline, cancel))
        return fail_with(error_key, key_for(e, !file));
    if (tty) {
        // Printed means the bytes left the port; closing must not wait on a stuck line.
        int queued = 0;
        while (::ioctl(f.fd, TIOCOUTQ, &queued) == 0 && queued > 0) {
            if (cancel && cancel->load()) break;
            if (Clock::now() >= deadline) {
                ::tcflush(f.fd, TCOFLUSH);
                return fail_with(error_key, "print.err.timeout");
            }
            ::usleep(20'000);
        }
    }
    if (file && ::fsync(f.fd) != 0 && errno != EINVAL)
        return fail_with(error_key, key_for(errno, false));
    int fd = f.fd;
    f.fd = -1;
    if (::close(fd) != 0 && errno != EINTR) return fail_with(error_key, key_for(errno, !file));
    return true;
}

bool send_tcp(const Destination& d, std::string_view bytes, std::string* error_key,
              Clock::time_point deadline, const std::atomic<bool>* cancel) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    std::string port = std::to_string(d.port);
    int gai = ::getaddrinfo(d.host.c_str(), port.c_str(), &hints, &res);
    if (gai != 0 || !res) return fail_with(error_key, "print.err.host");
    int last = ECONNREFUSED;
    Fd s;
    for (addrinfo* a = res; a; a = a->ai_next) {
        Fd c;
        c.fd =
            ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
        if (c.fd < 0) {
            last = errno;
            continue;
        }
        int r = ::connect(c.fd, a->ai_addr, a->ai_addrlen);
        if (r != 0 && errno != EINPROGRESS) {
            last = errno;
            continue;
        }
        if (r != 0) {
            if (int e = wait_ready(c.fd, POLLOUT, deadline, cancel)) {
                last = e;
                if (e == ETIMEDOUT || e == ECANCELED) break;
                continue;
            }
            int so = 0;
            socklen_t len = sizeof so;
            ::getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &so, &len);
            if (so != 0) {
                last = so;
                continue;
            }
        }
        s.fd = c.fd;
        c.fd = -1;
        break;
    }
    ::freeaddrinfo(res);
    if (s.fd < 0) return fail_with(error_key, key_for(last, true));
    if (int e = write_all(s.fd, bytes, true, deadline, cancel))
        return fail_with(error_key, key_for(e, true));
    ::shutdown(s.fd, SHUT_WR);
    // Printed means the printer's side acknowledged every byte (nothing left unacknowledged).
    for (;;) {
        int unacked = 0;
        if (::ioctl(s.fd, SIOCOUTQ, &unacked) != 0 || unacked == 0) break;
        if (cancel && cancel->load()) return fail_with(error_key, "print.err.cancelled");
        if (Clock::now() >= deadline) return fail_with(error_key, "print.err.timeout");
        pollfd p{s.fd, POLLIN, 0};
        ::poll(&p, 1, 20);
        if (p.revents & (POLLERR | POLLHUP)) {
            int so = 0;
            socklen_t len = sizeof so;
            ::getsockopt(s.fd, SOL_SOCKET, SO_ERROR, &so, &len);
            if (so) return fail_with(error_key, key_for(so, true));
        }
        if (p.revents & POLLIN) {
            char sink[256]; // status bytes some printers send back; not needed here
            if (::recv(s.fd, sink, sizeof sink, 0) <= 0) {
                ::ioctl(s.fd, SIOCOUTQ, &unacked);
                if (unacked) return fail_with(error_key, "print.err.io");
                break;
            }
        }
    }
    return true;
}

} // namespace

bool send(const Destination& dest, std::string_view bytes, std::string* error_key, int timeout_ms,
          const std::atomic<bool>* cancel) {
    auto deadline = Clock::now() + std::chrono::milliseconds(std::max(timeout_ms, 1));
    if (dest.kind == Destination::Kind::Tcp)
        return send_tcp(dest, bytes, error_key, deadline, cancel);
    return send_path(dest, bytes, error_key, deadline, timeout_ms, cancel);
}

// -----------------------------------------------------------------------------
// PrintQueue
// -----------------------------------------------------------------------------

const char* state_code(JobState s) {
    switch (s) {
    case JobState::Queued:
        return "queued";
    case JobState::Printing:
        return "printing";
    case JobState::Printed:
        return "printed";
    case JobState::Failed:
        return "failed";
    }
    return "failed";
}

std::string JobStatus::error_key() const {
    std::lock_guard<std::mutex> lock(m_);
    return error_;
}

PrintQueue::~PrintQueue() {
    {
        std::lock_guard<std::mutex> lock(m_);
        stop_ = true;
    }
    cv_.notify_all();
    if (worker_.joinable()) worker_.join();
    for (auto& j : jobs_) {
        std::lock_guard<std::mutex> lock(j.status->m_);
        j.status->error_ = "print.err.cancelled";
        j.status->state_.store(JobState::Failed, std::memory_order_release);
    }
}

std::shared_ptr<const JobStatus> PrintQueue::submit(Destination dest, std::string bytes) {
    auto status = std::make_shared<JobStatus>();
    {
        std::lock_guard<std::mutex> lock(m_);
        jobs_.push_back({std::move(dest), std::move(bytes), status});
        if (!worker_.joinable()) worker_ = std::thread([this] { run(); });
    }
    cv_.notify_one();
    return status;
}

void PrintQueue::run() {
    for (;;) {
        Job job;
        {
            std::unique_lock<std::mutex> lock(m_);
            cv_.wait(lock, [&] { return stop_ || !jobs_.empty(); });
            if (stop_) return;
            job = std::move(jobs_.front());
            jobs_.pop_front();
        }
        job.status->state_.store(JobState::Printing, std::memory_order_release);
        std::string key;
        bool ok = send(job.dest, job.bytes, &key, timeout_ms_, &stop_);
        {
            std::lock_guard<std::mutex> lock(job.status->m_);
            job.status->error_ = ok ? "" : key;
        }
        job.status->state_.store(ok ? JobState::Printed : JobState::Failed,
                                 std::memory_order_release);
    }
}

} // namespace jf::print
