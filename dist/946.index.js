export const id = 946;
export const ids = [946];
export const modules = {

/***/ 2946:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   upsertComment: () => (/* binding */ upsertComment)
/* harmony export */ });
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1351);
/* harmony import */ var _actions_github_lib_utils__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5555);
/* harmony import */ var _octokit_plugin_retry__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9735);



/** Edits this chain's comment in place, or creates it; never leaves two. Throws `{ timedOut: true }` past the deadline. */
async function upsertComment(request) {
    const signal = AbortSignal.timeout(request.timeoutMs);
    try {
        return await upsert(request, signal);
    }
    catch (error) {
        // The abort reaches octokit as a network error (status 500, "Unknown Error"): say what it was.
        if (signal.aborted)
            throw Object.assign(new Error(`GitHub's API did not answer within ${request.timeoutMs / 1000} s`), { timedOut: true });
        throw error;
    }
}
async function upsert(request, signal) {
    const octokit = (0,_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .getOctokit */ .Q)(request.token, {
        baseUrl: request.apiUrl.replace(/\/+$/, ''),
        // The defaults carry the runner's proxy settings; given `request` options replace them whole.
        request: { ..._actions_github_lib_utils__WEBPACK_IMPORTED_MODULE_1__/* .defaults */ .NT.request, signal },
        retry: { retryAfterBaseValue: request.retryBaseMs }
    }, _octokit_plugin_retry__WEBPACK_IMPORTED_MODULE_2__/* .retry */ .L);
    const where = { owner: request.owner, repo: request.repo, issue_number: request.issueNumber };
    const [existing] = await markedComments(octokit, where, request.marker, { first: true });
    if (existing) {
        const { data } = await octokit.rest.issues.updateComment({ owner: request.owner, repo: request.repo, comment_id: existing.id, body: request.body });
        return { action: 'updated', id: data.id, url: data.html_url };
    }
    const { data: created } = await octokit.rest.issues.createComment({ ...where, body: request.body });
    // Two runs that both found none, or a create retried after it had in fact succeeded, leave two:
    // every run that created one keeps the oldest (with its own body) and deletes the others.
    const marked = await markedComments(octokit, where, request.marker, { first: false });
    const oldest = marked.reduce((min, c) => (c.id < min.id ? c : min), { id: created.id, html_url: created.html_url });
    for (const extra of marked.filter((c) => c.id !== oldest.id)) {
        await octokit.rest.issues.deleteComment({ owner: request.owner, repo: request.repo, comment_id: extra.id }).catch((error) => {
            // Another run deleted it first.
            if (error.status !== 404)
                throw error;
        });
    }
    if (oldest.id === created.id)
        return { action: 'created', id: created.id, url: created.html_url };
    const { data } = await octokit.rest.issues.updateComment({ owner: request.owner, repo: request.repo, comment_id: oldest.id, body: request.body });
    return { action: 'updated', id: data.id, url: data.html_url };
}
/** The comments whose body starts with the marker, oldest first, paging through all of the pull request's comments (100 a page). */
async function markedComments(octokit, where, marker, { first }) {
    const found = [];
    for await (const page of octokit.paginate.iterator(octokit.rest.issues.listComments, { ...where, per_page: 100 })) {
        found.push(...page.data.filter((c) => c.body?.startsWith(marker)));
        if (first && found.length > 0)
            break;
    }
    return found;
}


/***/ })

};
