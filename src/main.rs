fn main() {
    let paths = baton::input::ProjectPaths::new(".");
    match baton::input::load(&paths) {
        Ok(l) => println!("{} handoffs", l.dataset.handoffs.len()),
        Err(e) => eprintln!("{e}"),
    }
}
