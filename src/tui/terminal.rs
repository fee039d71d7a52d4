//! Entering and leaving the full-screen terminal, and making sure it is always left: on
//! quit, on a signal (handled by the loop) and on a panic of the UI thread.

use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use ratatui::crossterm::execute;
use std::io::stdout;

pub fn enter() -> std::io::Result<DefaultTerminal> {
    let terminal = ratatui::try_init()?;
    if let Err(e) = execute!(stdout(), EnableMouseCapture, EnableBracketedPaste) {
        // Half set up: give the terminal back before saying why.
        leave();
        return Err(e);
    }
    // ratatui's hook restores the screen; ours also turns the mouse off first. A panic in a
    // background task must not tear the screen down under a UI that keeps running: it goes
    // to the log instead.
    let restore_hook = std::panic::take_hook();
    let ui_thread = std::thread::current().id();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().id() == ui_thread {
            let _ = execute!(stdout(), DisableMouseCapture, DisableBracketedPaste);
            restore_hook(info);
        } else {
            crate::log::line(&format!("panic in a background task: {info}"));
        }
    }));
    Ok(terminal)
}

pub fn leave() {
    let _ = execute!(stdout(), DisableMouseCapture, DisableBracketedPaste);
    ratatui::restore();
}
