// Real parts for the sync integration tests and benchmarks: the jobfair-hub executable run as a
// child process, its staff commands, free loopback ports, and a fault-injecting TCP proxy (the
// kernel here has no tc netem) that cuts connections or swallows the hub's answer.
#pragma once

#include "tests/sync/sync_test_util.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <chrono>
#include <fstream>
#include <iterator>
#include <list>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace jf::test {

// JF_HUB_BINARY runs the tests against another build of the hub (an older one, to see a test
// fail before a change).
inline std::string hub_binary() {
    if (const char* other = std::getenv("JF_HUB_BINARY"); other && *other) return other;
    return JF_TEST_BUILD_DIR "/sync/hub/jobfair-hub";
}

inline int free_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
}

inline bool port_open(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(fd);
    return ok;
}

inline pid_t spawn(const std::vector<std::string>& argv, int out_fd) {
    pid_t pid = ::fork();
    if (pid == 0) {
        if (out_fd >= 0) {
            ::dup2(out_fd, 1);
            ::dup2(out_fd, 2);
        }
        std::vector<char*> a;
        for (auto& s : argv)
            a.push_back(const_cast<char*>(s.c_str()));
        a.push_back(nullptr);
        ::execv(a[0], a.data());
        ::_exit(127);
    }
    return pid;
}

// Runs `jobfair-hub ARGS...` to completion; returns its exit status, output in `out`.
inline int run_hub(std::vector<std::string> args, std::string* out = nullptr) {
    args.insert(args.begin(), hub_binary());
    int p[2];
    if (::pipe(p) != 0) return -1;
    pid_t pid = spawn(args, p[1]);
    ::close(p[1]);
    std::string text;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(p[0], buf, sizeof buf)) > 0)
        text.append(buf, static_cast<size_t>(n));
    ::close(p[0]);
    int st = 0;
    ::waitpid(pid, &st, 0);
    if (out) *out = text;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

// `jobfair-hub serve` as a child process on a fixed loopback port (so it can be restarted there).
class HubProcess {
  public:
    HubProcess(std::string data_dir, std::string cert, std::string key, int port)
        : data_(std::move(data_dir)), cert_(std::move(cert)), key_(std::move(key)), port_(port) {}
    ~HubProcess() { kill_hard(); }
    int port() const { return port_; }
    std::string url() const { return "https://127.0.0.1:" + std::to_string(port_); }
    void set_cert(std::string cert, std::string key) {
        cert_ = std::move(cert);
        key_ = std::move(key);
    }

    // Further `serve` arguments (a --config file, --metrics-port) for the next start().
    std::vector<std::string> extra_args = {"--metrics-port", "-1"};
    pid_t pid() const { return pid_; }
    std::string log_path() const { return data_ + ".serve.log"; }

    bool start() {
        if (pid_ > 0) return true;
        int log = ::open(log_path().c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        std::vector<std::string> argv = {
            hub_binary(), "serve",  "--data-dir",          data_,       "--cert", cert_, "--key",
            key_,         "--port", std::to_string(port_), "--workers", "80"};
        argv.insert(argv.end(), extra_args.begin(), extra_args.end());
        pid_ = spawn(argv, log);
        ::close(log);
        // Polled every 2 ms: the crash tests restart the hub hundreds of times. Up to 15 s: a
        // loaded machine (or a sanitized build) starts the hub slowly, and this is no timing test.
        for (int i = 0; i < 7500; ++i) {
            if (port_open(port_)) return true;
            int st;
            if (::waitpid(pid_, &st, WNOHANG) == pid_) {
                pid_ = -1;
                std::string how = WIFSIGNALED(st) ? "killed by signal " + std::to_string(WTERMSIG(st))
                                                  : "exited with status " +
                                                        std::to_string(WEXITSTATUS(st));
                report_failed_start(how.c_str());
                return false;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        report_failed_start("not listening after 15 s");
        return false;
    }
    void kill_hard() { signal_and_wait(SIGKILL); }
    void stop() { signal_and_wait(SIGTERM); }
    bool running() const { return pid_ > 0; }

  private:
    // A hub that does not come up says why: the end of its log goes to the test's output.
    void report_failed_start(const char* what) const {
        std::ifstream in(log_path());
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (text.size() > 2000) text.erase(0, text.size() - 2000);
        std::fprintf(stderr, "hub on port %d %s; end of %s:\n%s\n", port_, what,
                     log_path().c_str(), text.c_str());
    }
    void signal_and_wait(int sig) {
        if (pid_ <= 0) return;
        ::kill(pid_, sig);
        int st;
        ::waitpid(pid_, &st, 0);
        pid_ = -1;
    }
    std::string data_, cert_, key_;
    int port_;
    pid_t pid_ = -1;
};

// A TCP proxy on loopback. TLS passes through untouched; faults apply to the next `faults`
// connections: cut after `cut_after_up` client bytes, or (`drop_reply_after_up`) forward the whole
// request, hold back everything the hub sends from then on, and close once the terminal has
// waited 150 ms for its answer. The hub has the complete request by then, so it commits; the
// terminal never hears the acknowledgement.
class FaultProxy {
  public:
    explicit FaultProxy(int target_port) : target_(target_port) {
        listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        int one = 1;
        ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
        socklen_t len = sizeof a;
        ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len);
        port_ = ntohs(a.sin_port);
        ::listen(listen_fd_, 64);
        acceptor_ = std::thread([this] { accept_loop(); });
    }
    ~FaultProxy() {
        stop_ = true;
        acceptor_.join();
        ::close(listen_fd_);
        std::lock_guard lock(mu_);
        for (auto& t : conns_)
            t.join();
    }
    int port() const { return port_; }
    std::string url() const { return "https://127.0.0.1:" + std::to_string(port_); }

    std::atomic<int64_t> cut_after_up{-1};
    std::atomic<int64_t> drop_reply_after_up{-1};
    std::atomic<int> faults{0};  // connections still to fault
    std::atomic<int> faulted{0}; // faults actually applied
    std::atomic<int> connections{0};

  private:
    void accept_loop() {
        while (!stop_) {
            pollfd p{listen_fd_, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0) continue;
            int c = ::accept(listen_fd_, nullptr, nullptr);
            if (c < 0) continue;
            ++connections;
            int64_t cut = -1, drop = -1;
            if (faults.load() > 0) {
                --faults;
                cut = cut_after_up.load();
                drop = drop_reply_after_up.load();
            }
            std::lock_guard lock(mu_);
            conns_.emplace_back([this, c, cut, drop] { pump(c, cut, drop); });
        }
    }

    void pump(int client, int64_t cut, int64_t drop) {
        int server = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(static_cast<uint16_t>(target_));
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        int one = 1;
        ::setsockopt(server, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (::connect(server, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
            ::close(client);
            ::close(server);
            return;
        }
        int64_t up = 0;
        bool swallowing = false;
        auto last_up = std::chrono::steady_clock::now();
        char buf[16384];
        while (!stop_) {
            if (swallowing &&
                std::chrono::steady_clock::now() - last_up > std::chrono::milliseconds(150)) {
                ++faulted;
                break;
            }
            pollfd p[2] = {{client, POLLIN, 0}, {server, POLLIN, 0}};
            if (::poll(p, 2, 20) <= 0) continue;
            if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
                ssize_t n = ::recv(client, buf, sizeof buf, 0);
                if (n <= 0) break;
                if (cut >= 0 && up + n > cut) {
                    ssize_t part = static_cast<ssize_t>(cut - up);
                    if (part > 0) ::send(server, buf, static_cast<size_t>(part), MSG_NOSIGNAL);
                    ++faulted;
                    break;
                }
                up += n;
                last_up = std::chrono::steady_clock::now();
                if (drop >= 0 && up > drop) swallowing = true;
                if (::send(server, buf, static_cast<size_t>(n), MSG_NOSIGNAL) != n) break;
            }
            if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
                ssize_t n = ::recv(server, buf, sizeof buf, 0);
                if (n <= 0) break;
                if (swallowing) continue; // held back: the terminal never hears the hub
                if (::send(client, buf, static_cast<size_t>(n), MSG_NOSIGNAL) != n) break;
            }
        }
        ::shutdown(client, SHUT_RDWR);
        ::close(client);
        ::close(server);
    }

    int target_, port_ = 0, listen_fd_ = -1;
    std::atomic<bool> stop_{false};
    std::thread acceptor_;
    std::mutex mu_;
    std::list<std::thread> conns_;
};

} // namespace jf::test
