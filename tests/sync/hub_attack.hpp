// Hostile clients for the hub over real TLS on loopback (OpenSSL, no mocks), for the attack test
// and the sync benchmark:
// - slow and idle connections: a third connect and never say hello, a third finish the TLS
//   handshake and stay silent, a third send a request header one byte a second (slowloris);
// - a header flood: clients sending `a:b` header lines without end;
// - a body flood: clients posting 16 MiB bodies without a token.
// Every client reconnects when the hub drops it, so the pressure lasts as long as the attack.
// Each kind comes from its own loopback addresses (127.0.X.Y), as from different machines.
//
// Index
// - TlsClient   one blocking TLS connection from a chosen source address
// - Attack      the three kinds at once, started and stopped together, with counters
#pragma once

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace jf::test {

// Raises this process's descriptor limit to the hard limit (1,000 attack connections need it).
inline void raise_fd_limit() {
    rlimit r{};
    if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
        r.rlim_cur = r.rlim_max;
        setrlimit(RLIMIT_NOFILE, &r);
    }
}

// A TCP connection from `source` (a loopback address) to 127.0.0.1:port; -1 on failure.
inline int connect_from(const std::string& source, int port, int timeout_ms = 2000) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    sockaddr_in src{};
    src.sin_family = AF_INET;
    inet_pton(AF_INET, source.c_str(), &src.sin_addr);
    sockaddr_in dst{};
    dst.sin_family = AF_INET;
    dst.sin_port = htons(static_cast<uint16_t>(port));
    dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&src), sizeof src) != 0 ||
        ::connect(fd, reinterpret_cast<sockaddr*>(&dst), sizeof dst) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

class TlsClient {
  public:
    TlsClient() = default;
    TlsClient(const TlsClient&) = delete;
    TlsClient& operator=(const TlsClient&) = delete;
    ~TlsClient() { close(); }

    static SSL_CTX* context() {
        // No verification: an attacker does not care who answers.
        static SSL_CTX* ctx = [] {
            SSL_CTX* c = SSL_CTX_new(TLS_client_method());
            SSL_CTX_set_verify(c, SSL_VERIFY_NONE, nullptr);
            return c;
        }();
        return ctx;
    }

    bool connect(const std::string& source, int port, int timeout_ms = 2000) {
        close();
        fd_ = connect_from(source, port, timeout_ms);
        if (fd_ < 0) return false;
        ssl_ = SSL_new(context());
        SSL_set_fd(ssl_, fd_);
        if (SSL_connect(ssl_) != 1) {
            close();
            return false;
        }
        return true;
    }
    bool send(const std::string& bytes) {
        if (!ssl_) return false;
        size_t done = 0;
        while (done < bytes.size()) {
            int n = SSL_write(ssl_, bytes.data() + done, static_cast<int>(bytes.size() - done));
            if (n <= 0) return false;
            done += static_cast<size_t>(n);
        }
        return true;
    }
    // What the server sends until it closes, `max` bytes arrive, or `timeout_ms` pass.
    std::string receive(int timeout_ms, size_t max = 1 << 20) {
        std::string got = std::move(early_);
        early_.clear();
        if (!ssl_) return got;
        auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
        char buf[4096];
        while (got.size() < max && std::chrono::steady_clock::now() < end) {
            if (SSL_pending(ssl_) == 0) {
                pollfd p{fd_, POLLIN, 0};
                if (::poll(&p, 1, 50) <= 0) continue;
            }
            int n = SSL_read(ssl_, buf, sizeof buf);
            if (n <= 0) break;
            got.append(buf, static_cast<size_t>(n));
        }
        return got;
    }
    // True when the server has answered or closed. A TLS 1.3 server's session tickets, which
    // arrive just after the handshake, make the socket readable too: they are read and skipped.
    bool answered() {
        if (!ssl_) return true;
        if (!early_.empty() || SSL_pending(ssl_) > 0) return true;
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, 0) <= 0) return false;
        int flags = ::fcntl(fd_, F_GETFL);
        ::fcntl(fd_, F_SETFL, flags | O_NONBLOCK);
        char buf[256];
        int n = SSL_read(ssl_, buf, sizeof buf);
        int err = n > 0 ? SSL_ERROR_NONE : SSL_get_error(ssl_, n);
        ::fcntl(fd_, F_SETFL, flags);
        if (n > 0) early_.append(buf, static_cast<size_t>(n));
        return err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE;
    }
    // True when the server has closed the connection (or reset it).
    bool closed_by_peer() {
        if (fd_ < 0) return true;
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, 0) <= 0) return false;
        char c;
        return ::recv(fd_, &c, 1, MSG_PEEK | MSG_DONTWAIT) <= 0;
    }
    void close() {
        if (ssl_) SSL_free(ssl_);
        ssl_ = nullptr;
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }
    int fd() const { return fd_; }

  private:
    int fd_ = -1;
    SSL* ssl_ = nullptr;
    std::string early_; // what answered() read ahead of receive()
};

struct AttackPlan {
    int slow = 1000;       // slow or idle connections held open
    int header_flood = 10; // clients sending header lines without end
    int body_flood = 64;   // clients posting 16 MiB without a token
    size_t body_bytes = 16u << 20;
};

class Attack {
  public:
    Attack(int port, AttackPlan plan) : port_(port), plan_(plan) {}
    ~Attack() { stop(); }

    void start() {
        raise_fd_limit();
        ::signal(SIGPIPE, SIG_IGN); // the hub closing on a writer is expected, not fatal
        // Each attack thread runs niced: on this machine the attackers' own work (their TLS,
        // their copies through loopback) would otherwise be taken from the hub and the
        // terminal, where a real attacker spends its own machines' cores.
        auto niced = [](auto fn) {
            return [fn] {
                ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), 10);
                fn();
            };
        };

        running_ = true;
        for (int part = 0; part < kSlowThreads; ++part)
            threads_.emplace_back(niced([this, part] { slow_loop(part); }));
        for (int i = 0; i < plan_.header_flood; ++i)
            threads_.emplace_back(
                niced([this, i] { header_flood("127.0.2." + std::to_string(1 + i)); }));
        for (int i = 0; i < plan_.body_flood; ++i)
            threads_.emplace_back(
                niced([this, i] { body_flood("127.0.3." + std::to_string(1 + i % 16)); }));
    }
    void stop() {
        running_ = false;
        for (auto& t : threads_)
            t.join();
        threads_.clear();
    }
    // Slow connections open now.
    int slow_open() const { return slow_open_.load(); }

    std::atomic<int64_t> slow_reconnects{0}, flood_connections{0}, flood_bytes{0},
        body_connections{0}, body_bytes{0}, body_refused{0};

  private:
    // 1,000 connections from 127.0.1.1-127.0.1.10 (100 each), 50 threads driving 20 each.
    static constexpr int kSlowThreads = 50;
    void slow_loop(int part) {
        struct Conn {
            TlsClient tls;
            int raw = -1; // never says hello
            int kind = 0;
            size_t sent = 0;
        };
        std::vector<Conn> conns(static_cast<size_t>(plan_.slow / kSlowThreads +
                                                    (part < plan_.slow % kSlowThreads ? 1 : 0)));
        const std::string header = "POST /v1/events HTTP/1.1\r\nHost: hub\r\nX-Slow: ";
        auto source = [part](size_t i) {
            return "127.0.1." + std::to_string(1 + (i * kSlowThreads + part) % 10);
        };
        auto open = [&](size_t i) {
            Conn& c = conns[i];
            c.kind = static_cast<int>((i * kSlowThreads + part) % 3);
            c.sent = 0;
            if (c.kind == 0) {
                c.raw = connect_from(source(i), port_, 1000);
                return c.raw >= 0;
            }
            return c.tls.connect(source(i), port_, 1000);
        };
        auto shut = [&](size_t i) {
            if (conns[i].raw >= 0) ::close(conns[i].raw);
            conns[i].raw = -1;
            conns[i].tls.close();
        };
        std::vector<bool> up(conns.size(), false);
        while (running_) {
            for (size_t i = 0; i < conns.size() && running_; ++i) {
                Conn& c = conns[i];
                if (up[i]) {
                    bool gone = c.kind == 0 ? [&] {
                        pollfd p{c.raw, POLLIN, 0};
                        char x;
                        return ::poll(&p, 1, 0) > 0 &&
                               ::recv(c.raw, &x, 1, MSG_PEEK | MSG_DONTWAIT) <= 0;
                    }()
                                            : c.tls.closed_by_peer();
                    if (c.kind == 2 && !gone) {
                        // One more byte of a header that never ends.
                        std::string next(1, c.sent < header.size() ? header[c.sent] : 'x');
                        gone = !c.tls.send(next);
                        ++c.sent;
                    }
                    if (gone) {
                        shut(i);
                        up[i] = false;
                        --slow_open_;
                        ++slow_reconnects;
                    }
                }
                if (!up[i] && open(i)) {
                    up[i] = true;
                    ++slow_open_;
                }
            }
            for (int w = 0; w < 20 && running_; ++w) // a pass a second
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        for (size_t i = 0; i < conns.size(); ++i)
            if (up[i]) {
                shut(i);
                --slow_open_;
            }
    }

    void header_flood(const std::string& source) {
        std::string lines;
        while (lines.size() < 4096)
            lines += "a:b\r\n";
        while (running_) {
            TlsClient c;
            if (!c.connect(source, port_, 1000)) {
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
                continue;
            }
            ++flood_connections;
            if (!c.send("GET /v1/status HTTP/1.1\r\nHost: hub\r\n")) continue;
            for (;;) {
                if (!running_ || c.answered()) break;
                if (!c.send(lines)) break;
                flood_bytes += static_cast<int64_t>(lines.size());
                std::this_thread::sleep_for(kChunkPause);
            }
            std::this_thread::sleep_for(kPause);
        }
    }

    void body_flood(const std::string& source) {
        std::string chunk(64u << 10, 'x');
        while (running_) {
            TlsClient c;
            if (!c.connect(source, port_, 1000)) {
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
                continue;
            }
            ++body_connections;
            if (!c.send("POST /v1/events HTTP/1.1\r\nHost: hub\r\nContent-Type: "
                        "application/json\r\nContent-Length: " +
                        std::to_string(plan_.body_bytes) + "\r\n\r\n"))
                continue;
            size_t sent = 0;
            while (running_ && sent < plan_.body_bytes) {
                if (c.answered()) { // the hub answered before the body was sent
                    if (c.receive(200, 64).rfind("HTTP/1.1 401", 0) == 0) ++body_refused;
                    break;
                }
                if (!c.send(chunk)) break;
                sent += chunk.size();
                body_bytes += static_cast<int64_t>(chunk.size());
                std::this_thread::sleep_for(kChunkPause);
            }
            std::this_thread::sleep_for(kPause);
        }
    }

    // The attackers share the machine's cores with the hub and the terminal under test, so they
    // send as from a fast LAN rather than at memory speed: a flooder writes a chunk every 5 ms
    // (64 KiB: ~100 Mbit/s of body; 4 KiB of header lines), and once refused waits 100 ms before
    // it connects again (64 body flooders are still 640 TLS connections a second). What is
    // measured is the hub, not a starved machine.
    static constexpr std::chrono::milliseconds kPause{100}, kChunkPause{5};

    int port_;
    AttackPlan plan_;
    std::atomic<bool> running_{false};
    std::atomic<int> slow_open_{0};
    std::vector<std::thread> threads_;
};

} // namespace jf::test
