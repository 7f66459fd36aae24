// The application's print queue and the status line screens show for a print job; see printing.hpp.
#include "kiosk/ui/printing.hpp"

#include "platform/log/log.hpp"

namespace jf::ui {

print::PrintQueue& print_queue() {
    static print::PrintQueue queue;
    return queue;
}

bool PrintSlip::start(Context& ctx, std::string bytes) {
    job_.reset();
    error_.clear();
    logged_ = false;
    bytes_ = std::move(bytes);
    if (ctx.printer.empty()) {
        error_ = "print.err.not_configured";
        return false;
    }
    auto dest = print::parse_destination(ctx.printer, &error_);
    if (!dest) return false;
    if (bytes_.empty()) {
        error_ = "print.err.compose";
        return false;
    }
    job_ = print_queue().submit(std::move(*dest), bytes_);
    ctx.wake(ctx.now + 0.1);
    return true;
}

void PrintSlip::clear() {
    // A job already queued still prints: the person may be holding out a hand for the slip.
    job_.reset();
    bytes_.assign(bytes_.size(), '\0');
    bytes_.clear();
    error_.clear();
}

std::string PrintSlip::state() const {
    if (!error_.empty()) return "failed";
    return job_ ? print::state_code(job_->state()) : "none";
}

std::string PrintSlip::error_key() const {
    if (!error_.empty()) return error_;
    return job_ && job_->state() == print::JobState::Failed ? job_->error_key() : "";
}

void PrintSlip::draw(Context& ctx, const std::string& id, ImVec2 text_pos, float width,
                     ImVec2 button_min, ImVec2 button_size) {
    if (!active()) return;
    const Palette& p = palette(ctx);
    bool done = !job_ || job_->finished();
    std::string key = error_key();
    if (!done) {
        text(ctx, FontRole::Large, text_pos, p.text_muted, ctx.t("print.state.printing"), width);
        ctx.wake(ctx.now + 0.1); // the worker reports through the status, not through input
        return;
    }
    if (!logged_ && job_) {
        logged_ = true;
        log::info("print", key.empty() ? "printed" : "print_failed", {{"key", key}});
    }
    text(ctx, FontRole::Large, text_pos, key.empty() ? p.good : p.bad,
         ctx.t(key.empty() ? "print.state.printed" : key), width);
    if (button_size.x > 0 && button(ctx, id, ctx.t("print.reprint"), button_min, button_size,
                                    ButtonKind::Secondary, FontRole::Large)) {
        restart(ctx);
    }
}

} // namespace jf::ui
