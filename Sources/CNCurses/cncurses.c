#define _XOPEN_SOURCE 700
#define _DEFAULT_SOURCE
#include "cncurses.h"
#include <langinfo.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <sys/wait.h>

static struct termios saved_termios;
static int have_termios = 0;
static int saved_stderr = -1;
static int stderr_file = -1;
static volatile sig_atomic_t restored = 0;
static volatile sig_atomic_t termination = 0;
static struct sigaction old_actions[32];

static const char RESTORE_SEQ[] = "\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[0m\x1b[?25h\x1b[?1049l";

SCREEN *nc_newterm_stdio(const char *term) { return newterm(term, stdout, stdin); }

int nc_mvadd_scalar(WINDOW *w, int y, int x, unsigned int scalar, attr_t attrs, short pair) {
    cchar_t cc;
    wchar_t wc[2] = {(wchar_t)scalar, 0};
    if (setcchar(&cc, wc, attrs, pair, NULL) == ERR) return ERR;
    return mvwadd_wch(w, y, x, &cc);
}

/* Replays what was written to stderr while the TUI owned the screen. */
static void replay_stderr(void) {
    if (saved_stderr < 0 || stderr_file < 0) return;
    dup2(saved_stderr, STDERR_FILENO);
    char buf[4096];
    ssize_t n;
    lseek(stderr_file, 0, SEEK_SET);
    while ((n = read(stderr_file, buf, sizeof buf)) > 0) {
        ssize_t off = 0;
        while (off < n) {
            ssize_t w = write(STDERR_FILENO, buf + off, (size_t)(n - off));
            if (w <= 0) break;
            off += w;
        }
    }
    close(stderr_file);
    stderr_file = -1;
    close(saved_stderr);
    saved_stderr = -1;
}

/* Async-signal-safe restore: termios + escape sequences, no curses calls. */
static void raw_restore(void) {
    if (restored) return;
    restored = 1;
    if (have_termios) tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_termios);
    ssize_t ignored = write(STDOUT_FILENO, RESTORE_SEQ, sizeof RESTORE_SEQ - 1);
    (void)ignored;
    replay_stderr();
}

static void crash_handler(int sig) {
    raw_restore();
    sigaction(sig, &old_actions[sig], NULL);
    raise(sig);
}

static void termination_handler(int sig) {
    (void)sig;
    termination = 1;
}

int nc_termination_requested(void) { return termination; }

void nc_install_crash_restore(void) {
    if (tcgetattr(STDIN_FILENO, &saved_termios) == 0) have_termios = 1;
    char path[] = "/tmp/phaserunner-stderr-XXXXXX";
    int fd = mkstemp(path);
    if (fd >= 0) {
        unlink(path);
        saved_stderr = dup(STDERR_FILENO);
        stderr_file = fd;
        dup2(fd, STDERR_FILENO);
    }
    int crash[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP, SIGHUP, SIGQUIT};
    for (size_t i = 0; i < sizeof crash / sizeof crash[0]; i++) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = crash_handler;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = SA_RESETHAND | SA_ONSTACK;
        sigaction(crash[i], &sa, &old_actions[crash[i]]);
    }
    int term[] = {SIGTERM, SIGINT};
    for (size_t i = 0; i < sizeof term / sizeof term[0]; i++) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = termination_handler;
        sigemptyset(&sa.sa_mask);
        sigaction(term[i], &sa, &old_actions[term[i]]);
    }
    atexit(nc_restore_terminal_now);
}

void nc_restore_terminal_now(void) {
    if (restored) return;
    if (!isendwin()) endwin();
    restored = 1;
    if (have_termios) tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_termios);
    ssize_t ignored = write(STDOUT_FILENO, "\x1b[?25h", 6);
    (void)ignored;
    replay_stderr();
}

int nc_run_shell_command(const char *command) {
    def_prog_mode();
    endwin();
    int status = system(command);
    reset_prog_mode();
    refresh();
    return status;
}

int nc_locale_is_utf8(void) {
    const char *cs = nl_langinfo(CODESET);
    return cs != NULL && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

void nc_enable_mouse(void) {
    mouseinterval(0);
    /* Releases are asked for too, and ignored: unasked, their bytes would reach the
       program as keys (an X10 release at column 49 is "\e[M#R", and R re-runs). */
    mousemask(BUTTON1_PRESSED | BUTTON1_RELEASED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
}

int nc_read_mouse(int *x, int *y, int *kind) {
    MEVENT ev;
    if (getmouse(&ev) != OK) return 0;
    *x = ev.x;
    *y = ev.y;
    if (ev.bstate & BUTTON1_PRESSED) *kind = 1;
    else if (ev.bstate & BUTTON4_PRESSED) *kind = 2;
    else if (ev.bstate & BUTTON5_PRESSED) *kind = 3;
    else *kind = 0;
    return 1;
}
