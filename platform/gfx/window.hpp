// The kiosk's one window: fullscreen on a chosen monitor (or a plain window for development), an
// OpenGL 3 context with Dear ImGui's GLFW/OpenGL3 backends, PNG screenshots of the back buffer and
// frame pacing that sleeps while nothing moves.
//
// Index
// - WindowOptions   what the command line chose (monitor, windowed size, cursor)
// - Window          open/close, the frame loop's calls, pointer state, textures, screenshots
// - write_png       RGBA → PNG file (libpng)
#pragma once

#include <cstdint>
#include <string>
#include <vector>

struct GLFWwindow;
struct ImDrawData;

namespace jf::gfx {

struct WindowOptions {
    int monitor = 0;           // index into glfwGetMonitors(); out of range → primary
    int width = 0, height = 0; // > 0: a decorated window of this size instead of fullscreen
    bool hide_cursor = false;
    bool visible = true; // false for screenshot runs that must not flash a window
    std::string title = "jobfair-kiosk";
};

// The pointer as the touchscreen (or a mouse) left it at the start of a frame. A tap that is
// pressed and released between two frames is still seen as one frame down (`pressed_since_last`).
struct PointerState {
    bool present = false; // cursor inside the window
    float x = 0, y = 0;
    bool down = false;
    // It went down and is up again already: the frame showing it pressed is replaced at once by
    // the release's, so it need not be rendered.
    bool released = false;
    // Enter went down since the last frame, even if it is up again already (a hand scanner's
    // Enter is pressed and released between two frames on a busy terminal).
    bool enter_pressed = false;
};

class Window {
  public:
    Window() = default;
    ~Window();
    Window(const Window&) = delete;
    Window& operator=(const Window&) = delete;

    // Creates the window, the GL context and the ImGui context with both backends. On failure
    // returns false with a message for the operator (no display, no GL 3).
    bool open(const WindowOptions& opt, std::string* error);
    void close();

    // True once the user asked to close the window (the app decides whether to obey).
    bool close_requested() const;
    void clear_close_request();

    // Sleeps until input arrives or `timeout_s` passes; 0 polls without sleeping. True if any
    // input or window event arrived since the last call (nothing new: no need to draw).
    bool wait(double timeout_s);
    // True when GL renders on the CPU (llvmpipe, softpipe): every animation frame costs CPU.
    bool software_rendering() const { return software_; }
    // Starts a frame: backends' NewFrame (keyboard, display size), then pointer state.
    PointerState begin_frame();
    // Renders ImGui's draw data into the back buffer over `clear_rgba` (the screen's background:
    // a clear is far cheaper than a full-screen quad under software GL); `present` swaps.
    void render(uint32_t clear_abgr = 0xff000000);
    void present();

    // Back buffer as RGBA rows top-down (call after render(), before present()).
    bool read_back_buffer(std::vector<uint8_t>* rgba, int* w, int* h) const;
    bool save_screenshot(const std::string& path, std::string* error) const;

    int max_texture_size() const { return max_texture_size_; }
    // Re-uploads the ImGui font atlas after it was rebuilt between frames, then frees ImGui's CPU
    // copies of its pixels (a later rebuild makes new ones).
    void reload_font_texture();
    // True once after the window system lost the window's pixels (expose) or resized it, or the
    // font texture changed: the next frame must be shown even if its draw lists did not change.
    bool take_damage();
    // RGBA texture for images (QR codes); 0 on failure. Freed with destroy_texture().
    uintptr_t create_texture(const uint8_t* rgba, int w, int h);
    void destroy_texture(uintptr_t id);

    int width() const;
    int height() const;
    GLFWwindow* handle() const { return win_; }

  private:
    GLFWwindow* win_ = nullptr;
    int max_texture_size_ = 2048;
    bool imgui_ready_ = false;
    bool software_ = false;
    bool swizzle_ = false;      // one-channel textures can be read as white with alpha
    unsigned font_texture_ = 0; // the atlas as uploaded by reload_font_texture()
};

// A fingerprint of what `dd` would put on screen over `clear_abgr`: equal fingerprints on two
// frames mean equal pixels (same textures), so the second frame need not be rendered or swapped.
uint64_t draw_signature(const ImDrawData* dd, uint32_t clear_abgr);

bool write_png(const std::string& path, const uint8_t* rgba, int w, int h, std::string* error);

} // namespace jf::gfx
