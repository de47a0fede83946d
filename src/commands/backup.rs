//! `lookout backup DEST`: a consistent copy of the store, taken with SQLite's
//! online backup API, so other processes may go on logging meanwhile. The
//! copy is a lookout store like any other (`lookout --db DEST status`).

use crate::cli::BackupArgs;
use crate::ctx::Ctx;
use crate::error::Result;
use crate::store::Access;

pub fn run(ctx: &mut Ctx, args: BackupArgs) -> Result<()> {
    ctx.refuse_store_path(&args.dest)?;
    let store = ctx.store(Access::Read)?;
    store.backup_to(&args.dest)?;
    ctx.note(format!(
        "backed up {} to {}",
        store.path().display(),
        args.dest.display()
    ));
    Ok(())
}
