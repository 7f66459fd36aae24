// Receipt printing from the screens: one print queue for the application (its own thread, so a
// slow or missing printer never holds a frame), and the status line with its Reprint button.
#pragma once

#include "platform/print/printer.hpp"
#include "kiosk/ui/ui.hpp"

#include <memory>
#include <string>

namespace jf::ui {

// One job on the configured printer, or what stands in the way.
class PrintSlip {
  public:
    // Queues `bytes` for ctx.printer (kept for a reprint). False with error_key() when there is
    // no printer, the destination is not one, or the bytes are empty (print.err.compose).
    bool start(Context& ctx, std::string bytes);
    bool restart(Context& ctx) { return start(ctx, std::string(bytes_)); }
    void clear();
    bool active() const { return job_ || !error_.empty(); }
    // "none" | "queued" | "printing" | "printed" | "failed"
    std::string state() const;
    std::string error_key() const;
    // The status line (正在打印… / 已打印 / the error) and, once the job is done, a Reprint button
    // with id `id` at `button_min` (none if button_size is zero). Asks for frames while the job
    // runs.
    void draw(Context& ctx, const std::string& id, ImVec2 text_pos, float width, ImVec2 button_min,
              ImVec2 button_size);

  private:
    std::shared_ptr<const print::JobStatus> job_;
    std::string bytes_;
    std::string error_; // failed before reaching the queue
    bool logged_ = false;
};

// The queue every screen prints through.
print::PrintQueue& print_queue();

} // namespace jf::ui
