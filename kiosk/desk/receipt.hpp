// The paper a receipt printer gives a walk-up: the fair, the masked name, how long the code is
// good for, "请保存此二维码 / Keep this code" and the credential's QR; and the test page staff
// print from the admin screen or `jobfair-kiosk print-test`. Both in Chinese and English on one
// slip.
//
// Nothing here prints a phone or ID number: the walk-up slip names the person by masked name only.
#pragma once

#include "kiosk/desk/registration.hpp"
#include "kiosk/i18n/i18n.hpp"
#include "kiosk/store/store.hpp"

#include <string>

namespace jf::desk {

// The terminal's receipt printer, kept with the other settings in the store ("printer.dest",
// "printer.paper"). An empty destination means no printer: screens then print nothing.
struct PrinterConfig {
    std::string destination; // /dev/usb/lp0, /dev/ttyUSB0@9600, tcp://host:9100, a file
    int paper_dots = 384;    // 384 for 58 mm paper, 576 for 80 mm
};
PrinterConfig printer_config(const Store& store);
bool save_printer_config(Store& store, const PrinterConfig& config);

// ESC/POS bytes for `paper_dots` wide paper (384 for 58 mm, 576 for 80 mm); empty if the code
// cannot be printed that narrow.
std::string walk_up_receipt(const WalkUpResult& r, const std::string& fair_name,
                            const std::string& terminal_id, TimeMs now, const Translations& tr,
                            int paper_dots);

// The test page: printer and paper as configured, a line of Chinese (rare name characters too),
// a QR code whose text is `test_code(terminal_id, now)`.
std::string test_receipt(const std::string& destination, const std::string& terminal_id, TimeMs now,
                         const Translations& tr, int paper_dots);
std::string test_code(const std::string& terminal_id, TimeMs now);

} // namespace jf::desk
