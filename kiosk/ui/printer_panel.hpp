// The admin screen's receipt-printer page: choose a connected USB or serial printer, a network
// printer by address (a keypad for digits, dots and a colon), or none; the paper width (58 or
// 80 mm); print a test page. Test ids: "printer.none", "printer.dev.<n>", "printer.key.<c>",
// "printer.net.use", "printer.paper.58", "printer.paper.80", "printer.test", "printer.reprint".
#pragma once

#include "kiosk/ui/printing.hpp"
#include "kiosk/ui/ui.hpp"

#include <map>
#include <string>
#include <vector>

namespace jf::ui {

// USB printer class devices and serial ports present now (/dev/usb/lp*, /dev/lp*, /dev/ttyUSB*,
// /dev/ttyACM*), sorted.
std::vector<std::string> printer_devices();

class PrinterPanel {
  public:
    void enter(Context& ctx);
    void reset();
    // Draws below `top`, leaving the bottom row (Back) to the admin screen.
    void draw(Context& ctx, float top);
    void describe(std::map<std::string, std::string>* out) const;

  private:
    void choose(Context& ctx, const std::string& dest, int dots);
    std::vector<std::string> devices_;
    double scanned_at_ = -1e9;
    std::string address_; // what the keypad typed, e.g. 192.168.1.50 or 192.168.1.50:9100
    std::string message_; // key
    bool message_bad_ = false;
    PrintSlip slip_;
};

} // namespace jf::ui
