#ifndef CNCURSES_H
#define CNCURSES_H

// Wide-character API (cchar_t, setcchar, mvadd_wch, wget_wch) must be enabled here:
// defines passed through cSettings do not reach Swift's importer.
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <ncurses.h>
#include <locale.h>
#include <wchar.h>

// Macros Swift cannot import, as functions.
static inline attr_t nc_a_bold(void) { return A_BOLD; }
static inline attr_t nc_a_dim(void) { return A_DIM; }
static inline attr_t nc_a_reverse(void) { return A_REVERSE; }
static inline attr_t nc_a_underline(void) { return A_UNDERLINE; }
static inline attr_t nc_color_pair(short n) { return (attr_t)COLOR_PAIR(n); }
static inline void nc_getmaxyx(WINDOW *w, int *y, int *x) { getmaxyx(w, *y, *x); }
static inline int nc_key_code_yes(void) { return KEY_CODE_YES; }
static inline WINDOW *nc_stdscr_window(void) { return stdscr; }
static inline int nc_colors(void) { return COLORS; }

/// newterm on the process's stdout/stdin (the glibc globals are not importable in Swift 6).
SCREEN *nc_newterm_stdio(const char *term);

/// Draws one Unicode scalar with attributes and a colour pair at (y, x).
int nc_mvadd_scalar(WINDOW *w, int y, int x, unsigned int scalar, attr_t attrs, short pair);

/// Saves the terminal state, redirects stderr to a temp file (replayed on restore) and
/// installs handlers that restore the terminal on SEGV/BUS/ILL/FPE/ABRT/TRAP/HUP/QUIT
/// before re-raising, so crashes never leave the terminal broken.
void nc_install_crash_restore(void);

/// Leaves curses mode (if active), restores the saved terminal modes and replays stderr.
/// Idempotent; also registered with atexit.
void nc_restore_terminal_now(void);

/// Reports presses of the first button and the wheel as KEY_MOUSE (no click delay).
void nc_enable_mouse(void);

/// The pending mouse event after KEY_MOUSE: its cell and kind (1 press, 2 wheel up,
/// 3 wheel down, 0 anything else). Returns 0 when there is none.
int nc_read_mouse(int *x, int *y, int *kind);

/// Set when SIGTERM or SIGINT arrived (the UI loop polls it and quits cleanly).
int nc_termination_requested(void);

/// Runs `command` through /bin/sh with the terminal in normal mode (for $EDITOR); returns its status.
int nc_run_shell_command(const char *command);

/// nl_langinfo(CODESET) is "UTF-8".
int nc_locale_is_utf8(void);

#endif
