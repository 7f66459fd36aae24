// GLFW window, GL context and the ImGui backends; see window.hpp.
#include "platform/gfx/window.hpp"

#include <GLFW/glfw3.h>
#include <GL/gl.h>
#include <imgui.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>

namespace jf::gfx {

namespace {
// A touch that goes down and up between two frames must still be seen as a press.
bool g_pressed_since_frame = false;
bool g_events = true;  // any input or window event since the last wait()
bool g_damaged = true; // the window's pixels were lost or resized: the next frame must be shown
void on_mouse_button(GLFWwindow*, int button, int action, int) {
    if (button == GLFW_MOUSE_BUTTON_LEFT && action == GLFW_PRESS) g_pressed_since_frame = true;
    g_events = true;
}
void on_cursor(GLFWwindow*, double, double) {
    g_events = true;
}
bool g_enter_since_frame = false; // a key press that ends before the next frame is still seen
void on_key(GLFWwindow*, int key, int, int action, int) {
    if ((key == GLFW_KEY_ENTER || key == GLFW_KEY_KP_ENTER) && action == GLFW_PRESS)
        g_enter_since_frame = true;
    g_events = true;
}
void on_char(GLFWwindow*, unsigned int) {
    g_events = true;
}
void on_scroll(GLFWwindow*, double, double) {
    g_events = true;
}
void on_focus(GLFWwindow*, int) {
    g_events = true;
}
void on_enter(GLFWwindow*, int) {
    g_events = true;
}
void on_size(GLFWwindow*, int, int) {
    g_events = true;
    g_damaged = true;
}
void on_refresh(GLFWwindow*) {
    g_events = true;
    g_damaged = true;
}
void on_close(GLFWwindow*) {
    g_events = true;
}
std::string g_glfw_error;
void on_glfw_error(int, const char* text) {
    g_glfw_error = text ? text : "?";
}
} // namespace

Window::~Window() {
    close();
}

bool Window::open(const WindowOptions& opt, std::string* error) {
    glfwSetErrorCallback(on_glfw_error);
    // The X server may be starting (boot) or resetting after its last client left: retry briefly.
    bool up = false;
    for (int i = 0; i < 15 && !(up = glfwInit()); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    if (!up) {
        if (error) *error = "no display (GLFW: " + g_glfw_error + "); set DISPLAY or use xvfb-run";
        return false;
    }
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
    glfwWindowHint(GLFW_VISIBLE, opt.visible ? GLFW_TRUE : GLFW_FALSE);
    // ImGui draws flat 2D with blending only: a depth/stencil buffer would be memory (8 MB at
    // 1080p, in RAM under software GL) that nothing reads.
    glfwWindowHint(GLFW_DEPTH_BITS, 0);
    glfwWindowHint(GLFW_STENCIL_BITS, 0);
    int count = 0;
    GLFWmonitor** monitors = glfwGetMonitors(&count);
    GLFWmonitor* mon =
        (opt.monitor >= 0 && opt.monitor < count) ? monitors[opt.monitor] : glfwGetPrimaryMonitor();
    if (opt.width > 0 && opt.height > 0) {
        win_ = glfwCreateWindow(opt.width, opt.height, opt.title.c_str(), nullptr, nullptr);
    } else if (mon) {
        // Borderless at the monitor's own mode: no mode switch, no decorations, nothing behind.
        const GLFWvidmode* mode = glfwGetVideoMode(mon);
        glfwWindowHint(GLFW_RED_BITS, mode->redBits);
        glfwWindowHint(GLFW_GREEN_BITS, mode->greenBits);
        glfwWindowHint(GLFW_BLUE_BITS, mode->blueBits);
        glfwWindowHint(GLFW_REFRESH_RATE, mode->refreshRate);
        glfwWindowHint(GLFW_DECORATED, GLFW_FALSE);
        win_ = glfwCreateWindow(mode->width, mode->height, opt.title.c_str(), mon, nullptr);
    }
    if (!win_) {
        if (error) *error = "cannot open an OpenGL 3 window (GLFW: " + g_glfw_error + ")";
        glfwTerminate();
        return false;
    }
    glfwMakeContextCurrent(win_);
    glfwSwapInterval(1);
    if (opt.hide_cursor) glfwSetInputMode(win_, GLFW_CURSOR, GLFW_CURSOR_HIDDEN);
    GLint max_tex = 0;
    glGetIntegerv(GL_MAX_TEXTURE_SIZE, &max_tex);
    if (max_tex > 0) max_texture_size_ = max_tex;

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr; // a kiosk keeps no window layout between runs
    const char* renderer = reinterpret_cast<const char*>(glGetString(GL_RENDERER));
    std::string r = renderer ? renderer : "";
    // Texture swizzles are core in GL 3.3 and an extension before.
    GLint major = 0, minor = 0;
    glGetIntegerv(GL_MAJOR_VERSION, &major);
    glGetIntegerv(GL_MINOR_VERSION, &minor);
    swizzle_ = major > 3 || (major == 3 && minor >= 3);
    if (!swizzle_) {
        auto get_stringi = reinterpret_cast<const GLubyte* (*)(GLenum, GLuint)>(
            glfwGetProcAddress("glGetStringi"));
        GLint n = 0;
        glGetIntegerv(GL_NUM_EXTENSIONS, &n);
        for (GLint i = 0; get_stringi && i < n && !swizzle_; ++i) {
            const char* e = reinterpret_cast<const char*>(get_stringi(GL_EXTENSIONS, i));
            swizzle_ = e && (std::strcmp(e, "GL_ARB_texture_swizzle") == 0 ||
                             std::strcmp(e, "GL_EXT_texture_swizzle") == 0);
        }
    }
    software_ = r.find("llvmpipe") != std::string::npos ||
                r.find("softpipe") != std::string::npos ||
                r.find("Software") != std::string::npos || r.find("swrast") != std::string::npos;
    // Ours first, so the backend chains to them: our flags see every touch and every event.
    glfwSetMouseButtonCallback(win_, on_mouse_button);
    glfwSetCursorPosCallback(win_, on_cursor);
    glfwSetKeyCallback(win_, on_key);
    glfwSetCharCallback(win_, on_char);
    glfwSetScrollCallback(win_, on_scroll);
    glfwSetWindowFocusCallback(win_, on_focus);
    glfwSetCursorEnterCallback(win_, on_enter);
    glfwSetFramebufferSizeCallback(win_, on_size);
    glfwSetWindowRefreshCallback(win_, on_refresh);
    glfwSetWindowCloseCallback(win_, on_close);
    ImGui_ImplGlfw_InitForOpenGL(win_, true);
    ImGui_ImplOpenGL3_Init("#version 130");
    imgui_ready_ = true;
    return true;
}

void Window::close() {
    if (font_texture_ && win_) glDeleteTextures(1, &font_texture_);
    font_texture_ = 0;
    if (imgui_ready_) {
        ImGui_ImplOpenGL3_Shutdown();
        ImGui_ImplGlfw_Shutdown();
        ImGui::DestroyContext();
        imgui_ready_ = false;
    }
    if (win_) {
        glfwDestroyWindow(win_);
        win_ = nullptr;
        glfwTerminate();
    }
}

bool Window::close_requested() const {
    return win_ && glfwWindowShouldClose(win_);
}
void Window::clear_close_request() {
    if (win_) glfwSetWindowShouldClose(win_, GLFW_FALSE);
}

bool Window::wait(double timeout_s) {
    if (timeout_s <= 0)
        glfwPollEvents();
    else
        glfwWaitEventsTimeout(timeout_s);
    bool any = g_events;
    g_events = false;
    return any;
}

PointerState Window::begin_frame() {
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    PointerState p;
    double x = 0, y = 0;
    glfwGetCursorPos(win_, &x, &y);
    p.x = static_cast<float>(x);
    p.y = static_cast<float>(y);
    p.present =
        glfwGetWindowAttrib(win_, GLFW_HOVERED) || glfwGetMouseButton(win_, GLFW_MOUSE_BUTTON_LEFT);
    bool held = glfwGetMouseButton(win_, GLFW_MOUSE_BUTTON_LEFT) == GLFW_PRESS;
    p.down = g_pressed_since_frame || held;
    p.released = g_pressed_since_frame && !held;
    if (g_pressed_since_frame) p.present = true;
    g_pressed_since_frame = false;
    p.enter_pressed = g_enter_since_frame;
    g_enter_since_frame = false;
    return p;
}

void Window::render(uint32_t c) {
    int w = 0, h = 0;
    glfwGetFramebufferSize(win_, &w, &h);
    glViewport(0, 0, w, h);
    glClearColor((c & 0xff) / 255.f, ((c >> 8) & 0xff) / 255.f, ((c >> 16) & 0xff) / 255.f, 1.f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

void Window::present() {
    glfwSwapBuffers(win_);
}

bool Window::read_back_buffer(std::vector<uint8_t>* rgba, int* w, int* h) const {
    glfwGetFramebufferSize(win_, w, h);
    if (*w <= 0 || *h <= 0) return false;
    std::vector<uint8_t> flipped(static_cast<size_t>(*w) * *h * 4);
    glReadBuffer(GL_BACK);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, *w, *h, GL_RGBA, GL_UNSIGNED_BYTE, flipped.data());
    // GL's rows run bottom-up; PNG's top-down.
    rgba->resize(flipped.size());
    size_t row = static_cast<size_t>(*w) * 4;
    for (int y = 0; y < *h; ++y)
        std::copy_n(flipped.data() + (*h - 1 - y) * row, row, rgba->data() + y * row);
    return glGetError() == GL_NO_ERROR;
}

bool Window::save_screenshot(const std::string& path, std::string* error) const {
    std::vector<uint8_t> rgba;
    int w = 0, h = 0;
    if (!read_back_buffer(&rgba, &w, &h)) {
        if (error) *error = "cannot read the window's pixels";
        return false;
    }
    for (size_t i = 3; i < rgba.size(); i += 4)
        rgba[i] = 255; // the screen has no transparency
    return write_png(path, rgba.data(), w, h, error);
}

void Window::reload_font_texture() {
    ImGuiIO& io = ImGui::GetIO();
    ImGui_ImplOpenGL3_DestroyFontsTexture(); // the backend's own, made at its first frame
    if (font_texture_) glDeleteTextures(1, &font_texture_);
    font_texture_ = 0;
    glGenTextures(1, &font_texture_);
    GLint prev = 0;
    glGetIntegerv(GL_TEXTURE_BINDING_2D, &prev);
    glBindTexture(GL_TEXTURE_2D, font_texture_);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    if (swizzle_) {
        // The atlas is coverage only: one byte per pixel, read by the shader as white with that
        // alpha. A quarter of the memory of RGBA (in RAM under software GL) and no 32-bit copy.
        io.Fonts->GetTexDataAsAlpha8(&pixels, &w, &h);
        const GLint swizzle[] = {GL_ONE, GL_ONE, GL_ONE, GL_RED};
        glTexParameteriv(GL_TEXTURE_2D, GL_TEXTURE_SWIZZLE_RGBA, swizzle);
        glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, w, h, 0, GL_RED, GL_UNSIGNED_BYTE, pixels);
    } else {
        io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, pixels);
    }
    glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(prev));
    io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(font_texture_)));
    // The GL texture holds the atlas now; ImGui's CPU copies (2 MB and 8 MB for a 4096x512 atlas)
    // would only sit in memory until the next rebuild makes new ones.
    io.Fonts->ClearTexData();
    g_damaged = true;
}

bool Window::take_damage() {
    bool d = g_damaged;
    g_damaged = false;
    return d;
}

// FNV-style mixing over 64-bit words: fast enough to run on every frame (a station frame's draw
// lists are ~1 MB, hashed in well under a millisecond), and any changed vertex, index, colour,
// clip rectangle or texture changes the result.
uint64_t draw_signature(const ImDrawData* dd, uint32_t clear_abgr) {
    uint64_t h = 1469598103934665603ull ^ clear_abgr;
    auto mix = [&h](const void* p, size_t n) {
        const auto* b = static_cast<const unsigned char*>(p);
        size_t i = 0;
        for (; i + 8 <= n; i += 8) {
            uint64_t w;
            std::memcpy(&w, b + i, 8);
            h = (h ^ w) * 1099511628211ull;
            h ^= h >> 29;
        }
        for (; i < n; ++i)
            h = (h ^ b[i]) * 1099511628211ull;
    };
    if (!dd || !dd->Valid) return h;
    mix(&dd->DisplayPos, sizeof(dd->DisplayPos));
    mix(&dd->DisplaySize, sizeof(dd->DisplaySize));
    mix(&dd->FramebufferScale, sizeof(dd->FramebufferScale));
    for (int i = 0; i < dd->CmdListsCount; ++i) {
        const ImDrawList* l = dd->CmdLists[i];
        mix(l->VtxBuffer.Data, static_cast<size_t>(l->VtxBuffer.Size) * sizeof(ImDrawVert));
        mix(l->IdxBuffer.Data, static_cast<size_t>(l->IdxBuffer.Size) * sizeof(ImDrawIdx));
        for (const ImDrawCmd& c : l->CmdBuffer) {
            mix(&c.ClipRect, sizeof(c.ClipRect));
            mix(&c.TextureId, sizeof(c.TextureId));
            mix(&c.VtxOffset, sizeof(c.VtxOffset));
            mix(&c.IdxOffset, sizeof(c.IdxOffset));
            mix(&c.ElemCount, sizeof(c.ElemCount));
            uint64_t cb = c.UserCallback ? 1 : 0; // a callback draws something we cannot see
            mix(&cb, sizeof(cb));
        }
    }
    return h;
}

uintptr_t Window::create_texture(const uint8_t* rgba, int w, int h) {
    GLuint tex = 0;
    glGenTextures(1, &tex);
    if (!tex) return 0;
    GLint prev = 0;
    glGetIntegerv(GL_TEXTURE_BINDING_2D, &prev);
    glBindTexture(GL_TEXTURE_2D, tex);
    // Nearest: QR modules stay sharp-edged at any scale.
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
    glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(prev));
    g_damaged = true; // a reused texture name may now hold other pixels
    return tex;
}

void Window::destroy_texture(uintptr_t id) {
    GLuint tex = static_cast<GLuint>(id);
    if (tex) glDeleteTextures(1, &tex);
}

int Window::width() const {
    int w = 0, h = 0;
    if (win_) glfwGetWindowSize(win_, &w, &h);
    return w;
}
int Window::height() const {
    int w = 0, h = 0;
    if (win_) glfwGetWindowSize(win_, &w, &h);
    return h;
}

} // namespace jf::gfx
