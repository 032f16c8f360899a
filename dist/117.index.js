export const id = 117;
export const ids = [117];
export const modules = {

/***/ 6117:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   checkDrift: () => (/* binding */ checkDrift),
/* harmony export */   describeDriftStage: () => (/* binding */ describeDriftStage),
/* harmony export */   driftFailure: () => (/* binding */ driftFailure)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3916);
/* harmony import */ var _report_markdown_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(4285);
/* harmony import */ var _verify_diff_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(4930);
/* harmony import */ var _verify_snapshot_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6985);
/* harmony import */ var _database_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3589);
/* harmony import */ var _report_drift_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8101);
/* harmony import */ var _replay_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2923);







async function checkDrift({ engine, ctx, chain, state, keepReplay = false }) {
    const settings = ctx.settings;
    const policy = settings.drift === 'fail' ? 'fail' : 'warn';
    const byId = new Map(chain.revisions.map((r) => [r.id, r]));
    const applied = state.applied.map((a) => byId.get(a.id)).filter((r) => r !== undefined);
    const exclude = (0,_verify_snapshot_js__WEBPACK_IMPORTED_MODULE_1__/* .bookkeepingTables */ .w_)(chain);
    // The extensions of the input are the action's, created outside the chain: the scratch database gets them as the target has them.
    const comparable = (snapshot) => new Map([...snapshot].filter(([key]) => !settings.extensions.some((e) => key === `extension ${e}`)));
    const actual = comparable(await (0,_verify_snapshot_js__WEBPACK_IMPORTED_MODULE_1__/* .takeSnapshot */ .W9)(ctx.client, { exclude }));
    const outcome = (status, fields = {}) => ({
        result: { policy, status, replayed: applied.length, entries: [], ...fields }
    });
    // Nothing applied: the migrations define nothing yet, and an empty database needs no replay to be known.
    if (applied.length === 0) {
        const entries = (0,_verify_diff_js__WEBPACK_IMPORTED_MODULE_5__/* .diffSnapshots */ .V1)(new Map(), actual);
        return outcome(entries.length > 0 ? 'drifted' : 'clean', { entries });
    }
    const request = { settings, target: ctx.client, log: ctx.log };
    let replayed;
    try {
        replayed = await (0,_replay_js__WEBPACK_IMPORTED_MODULE_4__/* .replayOnScratch */ .HU)(request, engine, chain, applied, `Replaying ${(0,_report_markdown_js__WEBPACK_IMPORTED_MODULE_6__/* .plural */ .LS)(applied.length, 'applied migration')}`);
    }
    catch (error) {
        if (error instanceof _database_js__WEBPACK_IMPORTED_MODULE_2__/* .ScratchUnavailable */ .fP)
            return outcome('skipped', { reason: error.message });
        if (error instanceof _replay_js__WEBPACK_IMPORTED_MODULE_4__/* .ReplayFailed */ .Bv)
            return outcome('failed', { reason: error.message });
        throw error;
    }
    const scratch = { name: replayed.scratch.name, kind: replayed.scratch.kind };
    let entries;
    try {
        entries = (0,_verify_diff_js__WEBPACK_IMPORTED_MODULE_5__/* .diffSnapshots */ .V1)(comparable(await (0,_verify_snapshot_js__WEBPACK_IMPORTED_MODULE_1__/* .takeSnapshot */ .W9)(replayed.scratch.client, { exclude })), actual);
    }
    catch (error) {
        await replayed.dispose();
        throw error;
    }
    if (entries.length === 0 && keepReplay)
        return { ...outcome('clean', { scratch }), replay: replayed };
    await replayed.dispose();
    if (entries.length === 0)
        return outcome('clean', { scratch });
    // Objects the migrations create: which one did, found by replaying them one at a time on a fresh scratch database.
    const keys = new Set(entries.filter((e) => e.change !== 'added').map((e) => e.object));
    if (keys.size === 0)
        return outcome('drifted', { entries, scratch });
    try {
        const fresh = await (0,_replay_js__WEBPACK_IMPORTED_MODULE_4__/* .replayOnScratch */ .HU)(request, engine, chain, [], 'Naming the migrations');
        try {
            const origins = await (0,_replay_js__WEBPACK_IMPORTED_MODULE_4__/* .originsOf */ .TZ)(engine, fresh.ctx, chain, applied, keys, () => (0,_verify_snapshot_js__WEBPACK_IMPORTED_MODULE_1__/* .takeSnapshot */ .W9)(fresh.scratch.client, { exclude }));
            return outcome('drifted', { entries: entries.map((e) => ({ ...e, ...origins.get(e.object) })), scratch });
        }
        finally {
            await fresh.dispose();
        }
    }
    catch (error) {
        if (error instanceof _database_js__WEBPACK_IMPORTED_MODULE_2__/* .ScratchUnavailable */ .fP || error instanceof _replay_js__WEBPACK_IMPORTED_MODULE_4__/* .ReplayFailed */ .Bv) {
            return outcome('drifted', { entries, scratch, namingProblem: `replaying the migrations one at a time failed: ${error.message}` });
        }
        throw error;
    }
}
/** drift: fail stops the run before anything is applied when the database drifted, or when the check could not replay the chain. */
function driftFailure(result) {
    if (result.policy !== 'fail')
        return undefined;
    if (result.status === 'drifted') {
        const first = result.entries[0];
        return new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ActionError */ .lZ('schema-drift', `The database differs from what its ${(0,_report_markdown_js__WEBPACK_IMPORTED_MODULE_6__/* .plural */ .LS)(result.replayed, 'applied migration')} ${(0,_report_drift_js__WEBPACK_IMPORTED_MODULE_3__/* .create */ .vt)(result.replayed)}, in ${(0,_report_markdown_js__WEBPACK_IMPORTED_MODULE_6__/* .plural */ .LS)(result.entries.length, 'object')} (the first: ${(0,_report_drift_js__WEBPACK_IMPORTED_MODULE_3__/* .describeEntry */ .OY)(first)}). Nothing was applied.`, {
            location: { input: 'drift', revision: first.createdBy },
            hint: 'Put the change made by hand into a migration (or undo it in the database), then run again; the Drift section lists every difference. Set drift: warn to report drift without stopping.'
        });
    }
    if (result.status === 'failed') {
        return new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ActionError */ .lZ('drift-replay-failed', `drift: the applied migrations could not be replayed on a scratch database: ${result.reason}. Nothing was applied.`, {
            location: { input: 'drift' },
            hint: 'A migration that fails on an empty database usually depends on something made outside the chain (a role, an extension not in the extensions input, data). Make the chain replayable, or set drift: warn.'
        });
    }
    return undefined;
}
function describeDriftStage(result) {
    switch (result.status) {
        case 'clean':
            if (result.replayed === 0)
                return { status: 'ok', summary: 'no drift: nothing applied yet, no objects of its own' };
            return { status: 'ok', summary: `no drift: the schema is what its ${(0,_report_markdown_js__WEBPACK_IMPORTED_MODULE_6__/* .plural */ .LS)(result.replayed, 'applied migration')} ${(0,_report_drift_js__WEBPACK_IMPORTED_MODULE_3__/* .create */ .vt)(result.replayed)}` };
        case 'drifted':
            return {
                status: 'warning',
                summary: `${(0,_report_markdown_js__WEBPACK_IMPORTED_MODULE_6__/* .plural */ .LS)(result.entries.length, 'difference')} from what the ${(0,_report_markdown_js__WEBPACK_IMPORTED_MODULE_6__/* .plural */ .LS)(result.replayed, 'applied migration')} ${(0,_report_drift_js__WEBPACK_IMPORTED_MODULE_3__/* .create */ .vt)(result.replayed)}`
            };
        case 'skipped':
            return { status: result.policy === 'fail' ? 'warning' : 'skipped', summary: `not checked: ${result.reason}` };
        case 'failed':
            return { status: 'warning', summary: `not checked: ${result.reason}` };
    }
}


/***/ })

};
