// A network receipt printer's raw port (9100) for tests: a real TCP listener on 127.0.0.1 that
// keeps what each connection sent, and a port where nothing listens.
#pragma once

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <future>
#include <string>
#include <vector>

namespace jf::testing {

// A raw-port printer on 127.0.0.1: accepts connections and keeps what each one sent.
struct Listener {
    int fd = -1;
    int port = 0;
    std::future<std::vector<std::string>> got;
    explicit Listener(int connections = 1) {
        fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
        socklen_t len = sizeof a;
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
        port = ntohs(a.sin_port);
        REQUIRE(::listen(fd, 4) == 0);
        int lfd = fd;
        got = std::async(std::launch::async, [lfd, connections] {
            std::vector<std::string> out;
            for (int k = 0; k < connections; ++k) {
                int c = ::accept(lfd, nullptr, nullptr);
                if (c < 0) break;
                std::string data;
                char buf[4096];
                ssize_t n;
                while ((n = ::read(c, buf, sizeof buf)) > 0)
                    data.append(buf, size_t(n));
                ::close(c);
                out.push_back(std::move(data));
            }
            return out;
        });
    }
    ~Listener() {
        ::shutdown(fd, SHUT_RDWR);
        ::close(fd);
    }
    std::string url() const { return "tcp://127.0.0.1:" + std::to_string(port); }
};

// A port on 127.0.0.1 where nothing listens.
inline int closed_port() {
    int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(s);
    return ntohs(a.sin_port);
}

} // namespace jf::testing
