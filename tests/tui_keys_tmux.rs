//! The keys of the key table in docs/tui.md that no other test presses, each pressed in the real
//! TUI (`connfix demo` in tmux) and checked by what the screen shows afterwards: the focused
//! pane or tab, the help and its scrolling, the selected question (reverse video) and the
//! answers in the tree, the selected cause, the scrolled panes, the chosen code language, the
//! copied snippet, the paste box, re-runs, notes, the saved report and the line printed on
//! quitting. Every wait is on the screen (or on tmux's paste buffer, or connfix's log and
//! report file), never on a sleep.

mod support;
// Not every helper of the harness is needed here.
#[allow(dead_code)]
#[path = "support/tmux.rs"]
mod tmux;

use std::time::{Duration, Instant};
use tmux::{Options, Reversed, Tmux};

/// A verdict needs every probe; generous for a debug build on a busy two-core machine.
const VERDICT: Duration = Duration::from_secs(20);
/// How long a screen change after a key may take.
const REACT: Duration = Duration::from_secs(10);
/// Shown only once every probe has answered (the detail of the selected cause).
const FIX: &str = "How to fix it";
/// The heading the language keys scroll the cause's details to.
const CODE_HEADING: &str = "Code  (←/→ or 1-6 language · C copy)";
/// The code languages, in the order of their tabs and of the keys 1–6.
const LANGUAGES: [&str; 6] = ["Python", "Node.js", "Go", "Java", "Rust", "Shell"];

/// `connfix demo` at its verdict.
fn demo(opts: &Options) -> Tmux {
    let tui = Tmux::start(opts, &["demo"]);
    tui.wait_for(FIX, VERDICT);
    tui
}

/// A pane as the screen shows it: the text inside its border (trailing blanks cut), the
/// column of its right border (the scrollbar, when it has one), and where it is.
#[derive(Debug)]
struct Pane {
    lines: Vec<String>,
    bar: Vec<char>,
    /// Screen rows of `lines`.
    rows: std::ops::Range<usize>,
    /// Screen columns inside the border.
    cols: std::ops::Range<usize>,
}

/// The pane titled `title` (focused or not).
fn pane(screen: &str, title: &str) -> Option<Pane> {
    let grid: Vec<Vec<char>> = screen.lines().map(|l| l.chars().collect()).collect();
    for (r, row) in grid.iter().enumerate() {
        let text: String = row.iter().collect();
        for corner in ['┏', '╭'] {
            let Some(at) = text.find(&format!("{corner} {title}")) else {
                continue;
            };
            let left = text[..at].chars().count();
            let right = (left + 1..row.len()).find(|&c| matches!(row[c], '┓' | '╮' | '▲'))?;
            let mut lines = Vec::new();
            let mut bar = Vec::new();
            for below in &grid[r + 1..] {
                if below.get(left).is_some_and(|c| matches!(c, '┗' | '╰')) {
                    break;
                }
                let inside: String = below
                    .get(left + 1..right.min(below.len()))
                    .unwrap_or_default()
                    .iter()
                    .collect();
                lines.push(inside.trim_end().to_string());
                bar.push(below.get(right).copied().unwrap_or(' '));
            }
            return Some(Pane {
                rows: r + 1..r + 1 + lines.len(),
                cols: left + 1..right,
                lines,
                bar,
            });
        }
    }
    None
}

/// The pane's lines, or a panic with the screen.
#[track_caller]
fn lines_of(screen: &str, title: &str) -> Vec<String> {
    pane(screen, title)
        .unwrap_or_else(|| panic!("no pane {title:?} on the screen:\n{screen}"))
        .lines
}

/// True when `now` shows `before` scrolled down by `by` lines (the lines still in view
/// match, and something moved).
fn scrolled_by(before: &[String], now: &[String], by: usize) -> bool {
    before.len() == now.len()
        && by < before.len()
        && before[by..] == now[..now.len() - by]
        && before != now
}

/// The text in reverse video inside `p`: what is selected there.
fn selected_in(p: &Pane, reversed: &[Reversed]) -> Vec<String> {
    reversed
        .iter()
        .filter(|r| p.rows.contains(&r.row) && p.cols.contains(&r.col))
        .map(|r| r.text.trim().to_string())
        .collect()
}

/// The question rows of the decision tree in view (their first line; the lines under a
/// question are indented).
fn questions(p: &Pane) -> Vec<String> {
    p.lines
        .iter()
        .filter(|l| !l.is_empty() && !l.starts_with(' '))
        .map(|l| l.trim().to_string())
        .collect()
}

/// The selected question of the decision tree, once exactly one row is selected.
fn selected_question(screen: &str, reversed: &[Reversed]) -> Option<String> {
    let p = pane(screen, "Decision tree")?;
    match selected_in(&p, reversed).as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
}

#[test]
fn shift_tab_goes_back_one_pane() {
    if !tmux::available() {
        return;
    }
    let tui = demo(&Options::default());
    tui.wait_for("┏ Decision tree", REACT);
    // From the first pane, back wraps round to the last one.
    for (focused, others) in [
        ("┏ Causes", ["╭ Decision tree", "╭ Evidence"]),
        ("┏ Evidence", ["╭ Decision tree", "╭ Causes"]),
        ("┏ Decision tree", ["╭ Evidence", "╭ Causes"]),
    ] {
        tui.keys(&["BTab"]);
        tui.wait_for_all(&[focused, others[0], others[1]], REACT);
    }
}

#[test]
fn f1_opens_the_help_and_q_closes_only_the_help() {
    if !tmux::available() {
        return;
    }
    let tui = demo(&Options::default());
    tui.keys(&["F1"]);
    tui.wait_for_all(&["Esc closes", "┃Everywhere", "┃Decision tree"], REACT);
    // The help scrolls: j, ↓ and PgDn move it down.
    for key in ["j", "Down", "NPage"] {
        let before = tui.screen();
        tui.keys(&[key]);
        tui.wait_until(&format!("{key} to scroll the help"), REACT, |s| {
            s != before && s.contains("Esc closes")
        });
    }
    // In the help, q closes the help; connfix goes on.
    tui.keys(&["q"]);
    tui.wait_until("the help closed, the panes shown", REACT, |s| {
        !s.contains("Esc closes") && s.contains(FIX) && tmux::exit_code(s).is_none()
    });
    tui.keys(&["Tab"]);
    tui.wait_for("┏ Evidence", REACT);
}

#[test]
fn g_shift_g_pgdn_and_pgup_select_questions_in_the_decision_tree() {
    if !tmux::available() {
        return;
    }
    // Tall enough to show more than ten questions at once.
    let tui = demo(&Options {
        height: 56,
        ..Options::default()
    });
    // h shows the questions that do not apply too (hidden at first): more than ten rows.
    tui.keys(&["h"]);
    tui.wait_for("showing the questions that do not apply", REACT);
    // g: the first question, at the top of the pane.
    tui.keys(&["g"]);
    let (top, reversed) = tui.wait_until_styled("the first question selected", REACT, |s, r| {
        let Some(p) = pane(s, "Decision tree") else {
            return false;
        };
        selected_question(s, r).is_some_and(|q| questions(&p).first() == Some(&q))
    });
    let all = questions(&pane(&top, "Decision tree").unwrap());
    assert!(all.len() > 10, "fewer than 11 questions in view:\n{top}");
    let first = selected_question(&top, &reversed).unwrap();

    // PgDn: ten questions on; PgUp: back.
    tui.keys(&["NPage"]);
    tui.wait_until_styled("the 11th question selected after PgDn", REACT, |s, r| {
        selected_question(s, r).as_ref() == Some(&all[10])
    });
    tui.keys(&["PPage"]);
    tui.wait_until_styled("the first question selected after PgUp", REACT, |s, r| {
        selected_question(s, r).as_ref() == Some(&first)
    });

    // G: the last question, with nothing but its own details below it.
    tui.keys(&["G"]);
    let (bottom, _) = tui.wait_until_styled("the last question selected", REACT, |s, r| {
        let Some(p) = pane(s, "Decision tree") else {
            return false;
        };
        selected_question(s, r).is_some_and(|q| q != first && questions(&p).last() == Some(&q))
    });
    assert!(
        !questions(&pane(&bottom, "Decision tree").unwrap()).contains(&first),
        "the tree did not scroll to its end:\n{bottom}"
    );
    tui.keys(&["g"]);
    tui.wait_until_styled("the first question selected again", REACT, |s, r| {
        selected_question(s, r).as_ref() == Some(&first)
    });
}

#[test]
fn space_pgdn_pgup_g_and_shift_g_scroll_the_evidence() {
    if !tmux::available() {
        return;
    }
    let tui = demo(&Options::default());
    tui.keys(&["Tab"]);
    let start = tui.wait_for("┏ Evidence", REACT);
    let top = lines_of(&start, "Evidence");
    let at_top = pane(&start, "Evidence").unwrap();
    assert_eq!(
        at_top.bar.first(),
        Some(&'█'),
        "no scrollbar at the top:\n{start}"
    );
    let wait_scrolled = |what: &str, from: &[String], by: usize| {
        tui.wait_until(what, REACT, |s| {
            pane(s, "Evidence").is_some_and(|p| scrolled_by(from, &p.lines, by))
        })
    };
    let wait_back = |what: &str| {
        tui.wait_until(what, REACT, |s| {
            pane(s, "Evidence").is_some_and(|p| p.lines == top)
        })
    };

    tui.keys(&["Space"]);
    wait_scrolled("Space to scroll the evidence 10 lines", &top, 10);
    tui.keys(&["PPage"]);
    wait_back("PgUp to scroll the evidence back");
    tui.keys(&["NPage"]);
    wait_scrolled("PgDn to scroll the evidence 10 lines", &top, 10);
    tui.keys(&["g"]);
    wait_back("g to scroll the evidence to its start");

    // G: the end, the scrollbar's thumb at the bottom; PgUp from there goes up ten lines.
    tui.keys(&["G"]);
    let end = tui.wait_until("G to scroll the evidence to its end", REACT, |s| {
        pane(s, "Evidence").is_some_and(|p| p.bar.last() == Some(&'█') && p.lines != top)
    });
    let bottom = lines_of(&end, "Evidence");
    tui.keys(&["PPage"]);
    tui.wait_until("PgUp to scroll up from the end", REACT, |s| {
        pane(s, "Evidence").is_some_and(|p| scrolled_by(&p.lines, &bottom, 10))
    });
}

#[test]
fn shift_j_shift_k_pgdn_pgup_and_space_scroll_the_cause_details() {
    if !tmux::available() {
        return;
    }
    let tui = demo(&Options::default());
    tui.keys(&["Tab", "Tab"]);
    let start = tui.wait_for_all(&["┏ Causes", "┏ wrong-port"], REACT);
    let top = lines_of(&start, "wrong-port");
    let wait_scrolled = |what: &str, by: usize| {
        tui.wait_until(what, REACT, |s| {
            pane(s, "wrong-port").is_some_and(|p| scrolled_by(&top, &p.lines, by))
        })
    };
    let wait_back = |what: &str| {
        tui.wait_until(what, REACT, |s| {
            pane(s, "wrong-port").is_some_and(|p| p.lines == top)
        })
    };
    tui.keys(&["J"]);
    wait_scrolled("J to scroll the details one line", 1);
    tui.keys(&["K"]);
    wait_back("K to scroll the details back one line");
    tui.keys(&["NPage"]);
    wait_scrolled("PgDn to scroll the details 10 lines", 10);
    tui.keys(&["PPage"]);
    wait_back("PgUp to scroll the details back");
    tui.keys(&["Space"]);
    wait_scrolled("Space to scroll the details 10 lines", 10);
    // The selected cause stays the same throughout.
    let screen = tui.screen();
    assert!(screen.contains("┏ wrong-port"), "{screen}");
}

/// Waits until the details show the code of `language`: its tab in reverse video, the code
/// heading scrolled to the top.
#[track_caller]
fn wait_language(tui: &Tmux, language: &str, after: &str) -> String {
    let (screen, _) = tui.wait_until_styled(
        &format!("the {language} code shown after {after}"),
        REACT,
        |s, r| {
            let Some(p) = pane(s, "wrong-port") else {
                return false;
            };
            p.lines.first().is_some_and(|l| l.trim() == CODE_HEADING)
                && selected_in(&p, r) == [language]
        },
    );
    screen
}

#[test]
fn brackets_and_the_digits_choose_the_code_language() {
    if !tmux::available() {
        return;
    }
    let tui = demo(&Options::default());
    tui.keys(&["Tab", "Tab"]);
    tui.wait_for("┏ Causes", REACT);
    tui.type_text("]");
    wait_language(&tui, "Node.js", "]");
    tui.type_text("]");
    wait_language(&tui, "Go", "] twice");
    tui.type_text("[");
    wait_language(&tui, "Node.js", "[");
    tui.type_text("[");
    wait_language(&tui, "Python", "[ twice");
    // [ before the first language wraps round to the last.
    tui.type_text("[");
    wait_language(&tui, "Shell", "[ on Python");
    for (i, language) in LANGUAGES.iter().enumerate() {
        let digit = (i + 1).to_string();
        tui.type_text(&digit);
        wait_language(&tui, language, &digit);
    }
}

#[test]
fn shift_c_copies_the_shown_snippet_with_this_machines_values() {
    if !tmux::available() {
        return;
    }
    let tui = demo(&Options {
        clipboard: true,
        ..Options::default()
    });
    tui.keys(&["Tab", "Tab"]);
    tui.wait_for("┏ Causes", REACT);
    tui.type_text("3");
    let shown = wait_language(&tui, "Go", "3");
    tui.keys(&["C"]);
    let screen = tui.wait_for("copied the Go snippet", REACT);

    // The OSC 52 sequence may reach tmux just after the frame with the message.
    let deadline = Instant::now() + REACT;
    let buffer = loop {
        if !tui
            .tmux(&["list-buffers", "-F", "#{buffer_name}"])
            .trim()
            .is_empty()
        {
            break tui.tmux(&["show-buffer"]);
        }
        assert!(
            Instant::now() < deadline,
            "no tmux paste buffer after C; screen:\n{}",
            tui.screen()
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    // Exactly the code on the screen, line for line, with the demo's own port filled in.
    let code: Vec<String> = buffer
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.replace('\t', "    ").trim().to_string())
        .collect();
    assert!(!code.is_empty(), "an empty snippet was copied");
    // A capture can catch a frame half drawn under load, so the screen is read again (within
    // REACT) until every copied line is on it.
    let mut shown = shown;
    let deadline = Instant::now() + REACT;
    loop {
        let detail = lines_of(&shown, "wrong-port");
        let missing = code
            .iter()
            .find(|line| !detail.iter().any(|d| d.trim() == line.as_str()));
        let Some(line) = missing else { break };
        assert!(
            Instant::now() < deadline,
            "{line:?} was copied but is not the code shown:\n{shown}"
        );
        std::thread::sleep(Duration::from_millis(50));
        shown = tui.screen();
    }
    assert!(
        !buffer.contains("{{"),
        "a placeholder was copied:\n{buffer}"
    );
    let (_, rest) = screen
        .split_once("listens on 127.0.0.1:")
        .unwrap_or_else(|| panic!("no demo banner:\n{screen}"));
    let port: String = rest.chars().take_while(char::is_ascii_digit).collect();
    assert!(
        buffer.contains(&port),
        "the snippet does not use the service's port {port}:\n{buffer}"
    );
}

#[test]
fn alt_enter_breaks_the_line_in_the_paste_box() {
    if !tmux::available() {
        return;
    }
    let tui = demo(&Options::default());
    tui.keys(&["p"]);
    tui.wait_for("Explain a pasted error", REACT);
    tui.type_text("first line");
    tui.keys(&["M-Enter"]);
    tui.type_text("second line");
    // Two lines in the box, which stays open: Alt-Enter did not diagnose.
    let screen = tui.wait_for_all(
        &[
            "Pasted 2 lines, 22 bytes",
            "│  first line",
            "│  second line",
        ],
        REACT,
    );
    let lines: Vec<&str> = screen.lines().collect();
    let first = lines.iter().position(|l| l.contains("│  first line"));
    let second = lines.iter().position(|l| l.contains("│  second line"));
    assert_eq!(
        first.map(|i| i + 1),
        second,
        "the two lines are not one under the other:\n{screen}"
    );
    tui.keys(&["Escape"]);
    tui.wait_gone("Explain a pasted error", REACT);
}

#[test]
fn slash_searches_n_moves_esc_drops_the_search_and_never_quits() {
    if !tmux::available() {
        return;
    }
    let tui = demo(&Options::default());
    tui.type_text("/");
    tui.wait_for("searches the evidence and the causes", REACT);
    tui.type_text("listens");
    tui.keys(&["Enter"]);
    let screen = tui.wait_for("/listens: match 1/", REACT);
    let total: usize = screen
        .split("/listens: match 1/")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no match count:\n{screen}"));
    assert!(total >= 2, "{screen}");
    tui.keys(&["n"]);
    tui.wait_for(&format!("/listens: match 2/{total}"), REACT);
    tui.keys(&["N", "N"]);
    tui.wait_for(&format!("/listens: match {total}/{total}"), REACT);
    // Esc drops the search; Esc again does nothing; connfix goes on.
    tui.keys(&["Escape"]);
    tui.wait_for("search dropped", REACT);
    tui.keys(&["Escape"]);
    // A key sent right after Esc can reach connfix with it, as Alt and that key.
    tui.wait_gone("search dropped", REACT);
    tui.keys(&["n"]);
    let screen = tui.wait_for("no search yet", REACT);
    assert!(tmux::exit_code(&screen).is_none(), "Esc quit:\n{screen}");
    // q quits, and says how to come back.
    tui.keys(&["q"]);
    assert_eq!(tui.wait_exit(Duration::from_secs(10)), 0);
    assert!(tui.screen().contains("connfix resume"), "{}", tui.screen());
}

/// The screen as one run of text: a long line the terminal wrapped reads whole again.
fn flat(screen: &str) -> String {
    screen.lines().map(str::trim_end).collect()
}

#[test]
fn q_ctrl_c_and_ctrl_q_quit_and_say_how_to_resume() {
    if !tmux::available() {
        return;
    }
    // One demo per key, started together.
    let tuis: Vec<(&str, Tmux)> = ["q", "C-c", "C-q"]
        .into_iter()
        .map(|key| (key, Tmux::start(&Options::default(), &["demo"])))
        .collect();
    for (key, tui) in &tuis {
        tui.wait_for(FIX, VERDICT);
        tui.keys(&[key]);
        let screen = tui.wait_until(&format!("{key} to quit"), REACT, |s| {
            tmux::exit_code(s).is_some()
        });
        // Ctrl-C reaches connfix as a key, not as SIGINT (which would exit with 130).
        assert_eq!(
            tmux::exit_code(&screen),
            Some(0),
            "{key} did not quit cleanly:\n{screen}"
        );
        assert_eq!(
            tui.display("#{alternate_on}"),
            "0",
            "{key}: the alternate screen is still on:\n{screen}"
        );
        let text = flat(&screen);
        let id = text
            .split("connfix: session ")
            .nth(1)
            .and_then(|r| r.split(' ').next())
            .unwrap_or_else(|| panic!("{key}: no parting line on the screen:\n{screen}"));
        let parting = format!("connfix: session {id} saved; `connfix resume {id}` reopens it");
        assert!(
            text.contains(&parting),
            "{key}: {parting:?} is not on the screen:\n{screen}"
        );
    }
}

/// The mark and answer the decision tree shows before `question` ("? you?", "◆ you:no"),
/// once the question is in view.
fn mark_of(screen: &str, question: &str) -> Option<String> {
    let p = pane(screen, "Decision tree")?;
    let line = p.lines.iter().find(|l| l.contains(question))?;
    Some(line.split(question).next()?.trim().to_string())
}

/// Waits until the tree shows `mark` before `question`.
#[track_caller]
fn wait_mark(tui: &Tmux, question: &str, mark: &str, after: &str) {
    tui.wait_until(
        &format!("{mark:?} before {question:?} after {after}"),
        REACT,
        |s| mark_of(s, question).as_deref() == Some(mark),
    );
}

/// The first line of the selected question of the decision tree (a selected question shows
/// its whole text, which can take several lines).
fn selected_first_line(screen: &str, reversed: &[Reversed]) -> Option<String> {
    let p = pane(screen, "Decision tree")?;
    selected_in(&p, reversed).into_iter().next()
}

/// Waits until the selected question of the tree is `question`.
#[track_caller]
fn wait_selected(tui: &Tmux, question: &str, after: &str) {
    tui.wait_until_styled(
        &format!("{question:?} selected after {after}"),
        REACT,
        |s, r| selected_first_line(s, r).is_some_and(|q| q.contains(question)),
    );
}

#[test]
fn enter_then_n_or_s_y_at_once_and_u_or_backspace_take_the_answer_back() {
    if !tmux::available() {
        return;
    }
    const QUESTION: &str = "Does the failure come and go";
    let tui = demo(&Options::default());
    // The tree opens on the first question for the person.
    wait_mark(&tui, QUESTION, "? you?", "the verdict");
    wait_selected(&tui, QUESTION, "the verdict");
    let take_back = |key: &str| {
        // An answer moves on to the next question: select this one again first.
        tui.keys(&["k"]);
        wait_selected(&tui, QUESTION, "k");
        tui.keys(&[key]);
        wait_mark(&tui, QUESTION, "? you?", key);
    };

    // Enter asks for the answer (the footer lists the replies); n answers no.
    tui.keys(&["Enter"]);
    tui.wait_for_all(&["y yes", "n no", "s skip", "Esc cancel"], REACT);
    tui.keys(&["n"]);
    wait_mark(&tui, QUESTION, "◆ you:no", "Enter n");
    take_back("u");

    tui.keys(&["Enter"]);
    tui.wait_for("s skip", REACT);
    tui.keys(&["s"]);
    wait_mark(&tui, QUESTION, "– skipped", "Enter s");
    take_back("BSpace");

    // y alone answers yes.
    tui.keys(&["y"]);
    wait_mark(&tui, QUESTION, "◆ you:yes", "y");
    take_back("u");
}

#[test]
fn home_and_end_select_the_ends_and_h_shows_and_hides_the_na_questions() {
    if !tmux::available() {
        return;
    }
    let tui = demo(&Options::default());
    let at_end = |first: bool| {
        move |s: &str, r: &[Reversed]| {
            let Some(p) = pane(s, "Decision tree") else {
                return false;
            };
            let all = questions(&p);
            let end = if first { all.first() } else { all.last() };
            selected_first_line(s, r).is_some_and(|q| Some(&q) == end)
        }
    };
    tui.keys(&["Home"]);
    let (top, reversed) =
        tui.wait_until_styled("Home to select the first question", REACT, at_end(true));
    let first = selected_first_line(&top, &reversed).unwrap();
    tui.keys(&["End"]);
    let (_, reversed) = tui.wait_until_styled("End to select the last question", REACT, |s, r| {
        at_end(false)(s, r) && selected_first_line(s, r).as_ref() != Some(&first)
    });
    assert!(!reversed.is_empty());
    tui.keys(&["Home"]);
    tui.wait_until_styled("Home to select the first question again", REACT, |s, r| {
        selected_first_line(s, r).as_ref() == Some(&first)
    });

    // h shows the n/a questions (the title stops counting them), h again hides them.
    let screen = tui.wait_for("n/a hidden", REACT);
    assert!(
        !screen.contains("– n/a"),
        "n/a questions shown at first:\n{screen}"
    );
    tui.keys(&["h"]);
    tui.wait_until("h to show the n/a questions", REACT, |s| {
        !s.contains("n/a hidden") && s.contains("– n/a")
    });
    tui.keys(&["h"]);
    tui.wait_until("h again to hide them", REACT, |s| {
        s.contains("n/a hidden") && !s.contains("– n/a")
    });
}

#[test]
fn help_scrolls_with_j_k_arrows_and_pages_and_esc_or_question_mark_close_it() {
    if !tmux::available() {
        return;
    }
    let tui = demo(&Options::default());
    let help = |s: &str| pane(s, "Keys").map(|p| p.lines);
    tui.keys(&["?"]);
    // The whole help drawn (its first group at the top, the footer of its keys last), not a
    // frame caught half written.
    let opened = tui.wait_until("the help drawn", REACT, |s| {
        help(s).is_some_and(|l| l.first().is_some_and(|f| f == "Everywhere"))
            && s.lines().last().is_some_and(|f| f.starts_with(" Esc ? q"))
    });
    let top = help(&opened).expect("the help pane");
    for (down, up) in [("j", "k"), ("Down", "Up")] {
        tui.keys(&[down]);
        tui.wait_until(&format!("{down} to scroll the help a line"), REACT, |s| {
            help(s).is_some_and(|l| scrolled_by(&top, &l, 1))
        });
        tui.keys(&[up]);
        tui.wait_until(&format!("{up} to scroll the help back"), REACT, |s| {
            help(s).as_ref() == Some(&top)
        });
    }
    tui.keys(&["NPage"]);
    tui.wait_until("PgDn to scroll the help a page", REACT, |s| {
        help(s).is_some_and(|l| l.first() != top.first() && !scrolled_by(&top, &l, 1))
    });
    tui.keys(&["PPage"]);
    tui.wait_until("PgUp to scroll the help back", REACT, |s| {
        help(s).as_ref() == Some(&top)
    });
    // Esc and ? close the help only: the panes are back and connfix goes on.
    for close in ["Escape", "?"] {
        tui.keys(&[close]);
        tui.wait_until(&format!("{close} to close the help"), REACT, |s| {
            help(s).is_none() && s.contains(FIX) && tmux::exit_code(s).is_none()
        });
        if close == "Escape" {
            tui.keys(&["?"]);
            tui.wait_for("Esc closes", REACT);
        }
    }
}

#[test]
fn left_right_choose_the_language_and_up_down_j_k_select_causes() {
    if !tmux::available() {
        return;
    }
    let tui = demo(&Options::default());
    tui.keys(&["Tab", "Tab"]);
    tui.wait_for("┏ Causes", REACT);
    tui.keys(&["Right"]);
    wait_language(&tui, "Node.js", "→");
    tui.keys(&["Right"]);
    wait_language(&tui, "Go", "→ twice");
    tui.keys(&["Left"]);
    wait_language(&tui, "Node.js", "←");
    tui.keys(&["Left"]);
    wait_language(&tui, "Python", "← twice");
    tui.keys(&["Left"]);
    wait_language(&tui, "Shell", "← on Python");

    // The details pane is titled with the selected cause.
    for (key, cause) in [
        ("Down", "nothing-listening"),
        ("j", "startup-race"),
        ("k", "nothing-listening"),
        ("Up", "wrong-port"),
    ] {
        tui.keys(&[key]);
        tui.wait_until(&format!("{key} to select {cause}"), REACT, |s| {
            s.contains(&format!("┏ {cause} ")) && s.contains(&format!("┃✗ {cause} "))
        });
    }
}

/// Waits (bounded) until connfix's log, after its last line with `marker`, has a result
/// for each of `probes` (the log names a probe as `probe NAME`).
#[track_caller]
fn wait_rerun_logged(tui: &Tmux, marker: &str, probes: &[&str]) {
    let deadline = Instant::now() + REACT;
    loop {
        let log = tui.log();
        if let Some((_, since)) = log.rsplit_once(marker)
            && probes
                .iter()
                .all(|p| since.contains(&format!("] probe {p} ")))
        {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "no result of {probes:?} in connfix's log after {marker:?}; screen:\n{}\nlog:\n{log}",
            tui.screen()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn r_and_shift_r_rerun_m_adds_a_note_and_s_saves_the_report() {
    if !tmux::available() {
        return;
    }
    let tui = demo(&Options::default());
    let done = tui.wait_for("9 probes done", REACT);
    assert!(!done.contains("probing"), "{done}");

    // r on a question a probe answers (the first one) re-runs that probe (and the steps
    // built on it), which the message names; not every probe.
    tui.keys(&["g"]);
    tui.wait_until_styled("g to select the first question", REACT, |s, r| {
        selected_first_line(s, r).is_some_and(|q| q.starts_with("● "))
    });
    tui.keys(&["r"]);
    let screen = tui.wait_for_all(&["re-running ", "9 probes done"], REACT);
    let names: Vec<&str> = screen
        .lines()
        .find_map(|l| l.trim().strip_prefix("re-running "))
        .map(|n| n.split(" → ").collect())
        .unwrap_or_else(|| panic!("no re-run message:\n{screen}"));
    assert!(
        !names.is_empty() && names.len() < 9 && !names.contains(&"every probe"),
        "r did not re-run the selected question's probe:\n{screen}"
    );
    wait_rerun_logged(&tui, &format!("re-running {}", names.join(", ")), &names);

    // R re-runs all nine.
    tui.keys(&["R"]);
    tui.wait_for_all(&["re-running every probe", "9 probes done"], REACT);
    let all = [
        "dns",
        "container",
        "proxy",
        "tcp",
        "http",
        "service",
        "environment",
        "firewall",
        "listeners",
    ];
    wait_rerun_logged(&tui, "re-running every probe", &all);

    // m opens the note box: Enter adds the note (shown first in the evidence), Esc drops one.
    tui.keys(&["m"]);
    tui.wait_for("Add a note", REACT);
    tui.type_text("checked the cable");
    tui.keys(&["Enter"]);
    tui.wait_until("the note in the evidence", REACT, |s| {
        s.contains("note 1 added")
            && pane(s, "Evidence").is_some_and(|p| {
                p.lines.iter().any(|l| l.contains("✎ Your notes"))
                    && p.lines.iter().any(|l| l.contains("checked the cable"))
            })
    });
    tui.keys(&["m"]);
    tui.wait_for("Add a note", REACT);
    tui.type_text("not this one");
    tui.keys(&["Escape"]);
    let screen = tui.wait_for("note discarded", REACT);
    assert!(!screen.contains("not this one"), "{screen}");

    // s saves the report and says where: the file is there, with the note.
    tui.keys(&["s"]);
    let screen = tui.wait_for("report saved: ", REACT);
    let path = screen
        .split("report saved: ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .unwrap_or_else(|| panic!("no path:\n{screen}"));
    assert!(path.ends_with(".md"), "{path:?}:\n{screen}");
    let report = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read the report {path}: {e}\n{screen}"));
    assert!(report.contains("checked the cable"), "{report}");
    assert!(!report.contains("not this one"), "{report}");
}

#[test]
fn tab_moves_between_the_tabs_at_80x24() {
    if !tmux::available() {
        return;
    }
    let tui = Tmux::start(
        &Options {
            width: 80,
            height: 24,
            ..Options::default()
        },
        &["demo"],
    );
    tui.wait_for_all(
        &["9 probes done", "[Decision tree]", "┏ Decision tree"],
        VERDICT,
    );
    for (tab, title, gone) in [
        ("[Evidence]", "┏ Evidence", "[Decision tree]"),
        ("[Causes & fix]", "┏ Causes", "[Evidence]"),
        ("[Decision tree]", "┏ Decision tree", "[Causes & fix]"),
    ] {
        tui.keys(&["Tab"]);
        tui.wait_until(&format!("Tab to {tab}"), REACT, |s| {
            s.contains(tab) && s.contains(title) && !s.contains(gone)
        });
    }
}
