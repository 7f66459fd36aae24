// Where receipts go and how they get there: a device or file path (/dev/usb/lp0, /dev/ttyUSB0,
// any file) or a network printer's raw port (tcp://host:9100), with a deadline, and a queue that
// prints on its own thread so a screen never waits for paper.
//
// Index
// - Destination, parse_destination   the configured text → where to write
// - send                              one job, all bytes or a message key
// - PrintQueue, JobStatus             jobs in order on a worker thread; screens poll the status
//
// Errors are translation keys (assets/i18n/print): print.err.destination, print.err.no_device,
// print.err.permission, print.err.busy, print.err.refused, print.err.host, print.err.unreachable,
// print.err.timeout, print.err.io, print.err.cancelled.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

namespace jf::print {

struct Destination {
    enum class Kind { Path, Tcp } kind = Kind::Path;
    std::string path; // Path: the device or file
    int baud = 0;     // a serial port's speed: "/dev/ttyUSB0@9600" (0: keep the port's speed)
    std::string host; // Tcp
    int port = 9100;  // Tcp: the raw (JetDirect) port
    std::string text; // as configured, for messages
};

// "tcp://192.168.1.50:9100", "tcp://printer.local" (port 9100), "/dev/usb/lp0",
// "/dev/ttyUSB0@115200", "/tmp/receipts.bin". nullopt (print.err.destination) for anything else.
std::optional<Destination> parse_destination(std::string_view text,
                                             std::string* error_key = nullptr);

// Writes every byte or fails with a message key. A regular file is appended to (created if
// missing), a device opened as it is, a serial port switched to raw 8N1. Gives up after
// `timeout_ms` (connecting and writing together) or soon after `*cancel` turns true.
bool send(const Destination& dest, std::string_view bytes, std::string* error_key,
          int timeout_ms = 10000, const std::atomic<bool>* cancel = nullptr);

enum class JobState { Queued, Printing, Printed, Failed };
const char* state_code(JobState s); // "queued" | "printing" | "printed" | "failed"

// What a screen polls each frame. error_key is set before the state turns Failed.
class JobStatus {
  public:
    JobState state() const { return state_.load(std::memory_order_acquire); }
    bool finished() const { return state() == JobState::Printed || state() == JobState::Failed; }
    std::string error_key() const;

  private:
    friend class PrintQueue;
    std::atomic<JobState> state_{JobState::Queued};
    mutable std::mutex m_;
    std::string error_;
};

// One worker thread; jobs print in the order submitted (two screens never interleave bytes on one
// printer). The destructor abandons queued jobs and stops the current one within ~0.1 s.
class PrintQueue {
  public:
    explicit PrintQueue(int timeout_ms = 10000) : timeout_ms_(timeout_ms) {}
    ~PrintQueue();
    PrintQueue(const PrintQueue&) = delete;
    PrintQueue& operator=(const PrintQueue&) = delete;

    std::shared_ptr<const JobStatus> submit(Destination dest, std::string bytes);

  private:
    struct Job {
        Destination dest;
        std::string bytes;
        std::shared_ptr<JobStatus> status;
    };
    void run();
    int timeout_ms_;
    std::mutex m_;
    std::condition_variable cv_;
    std::deque<Job> jobs_;
    std::atomic<bool> stop_{false};
    std::thread worker_;
};

} // namespace jf::print
