/*
 * git_api.h (private): every libgit2 function mlint calls, for git_dl.c.
 *
 * F(return type, name, parameters, arguments, value when libgit2 cannot be
 * loaded); V(name, parameters, arguments) for those that return nothing.
 * The parameters are libgit2 1.5's (include/git2/); git_dl.c defines each
 * function again with them, so the compiler checks every line against
 * <git2.h>. A libgit2 function not listed here does not link: add it.
 * (git_libgit2_opts, variadic, and git_error_last are written out in
 * git_dl.c.)
 */
#ifndef MLINT_GIT_API_H
#define MLINT_GIT_API_H

#define MLINT_GIT_FUNCS(F) \
	F(int, git_blob_lookup, (git_blob **blob, git_repository *repo, const git_oid *id), (blob, repo, id), -1) \
	F(const void *, git_blob_rawcontent, (const git_blob *blob), (blob), NULL) \
	F(git_object_size_t, git_blob_rawsize, (const git_blob *blob), (blob), 0) \
	F(int, git_branch_lookup, (git_reference **out, git_repository *repo, const char *branch_name, git_branch_t branch_type), (out, repo, branch_name, branch_type), -1) \
	F(int, git_branch_upstream, (git_reference **out, const git_reference *branch), (out, branch), -1) \
	F(const git_signature *, git_commit_author, (const git_commit *commit), (commit), NULL) \
	F(int, git_commit_dup, (git_commit **out, git_commit *source), (out, source), -1) \
	F(const git_oid *, git_commit_id, (const git_commit *commit), (commit), NULL) \
	F(int, git_commit_lookup, (git_commit **commit, git_repository *repo, const git_oid *id), (commit, repo, id), -1) \
	F(int, git_commit_parent, (git_commit **out, const git_commit *commit, unsigned int n), (out, commit, n), -1) \
	F(const git_oid *, git_commit_parent_id, (const git_commit *commit, unsigned int n), (commit, n), NULL) \
	F(unsigned int, git_commit_parentcount, (const git_commit *commit), (commit), 0) \
	F(const char *, git_commit_summary, (git_commit *commit), (commit), NULL) \
	F(int, git_commit_tree, (git_tree **tree_out, const git_commit *commit), (tree_out, commit), -1) \
	F(int, git_config_get_path, (git_buf *out, const git_config *cfg, const char *name), (out, cfg, name), -1) \
	F(int, git_config_get_string_buf, (git_buf *out, const git_config *cfg, const char *name), (out, cfg, name), -1) \
	F(int, git_config_open_ondisk, (git_config **out, const char *path), (out, path), -1) \
	F(int, git_diff_buffers, (const void *old_buffer, size_t old_len, const char *old_as_path, const void *new_buffer, size_t new_len, const char *new_as_path, const git_diff_options *options, git_diff_file_cb file_cb, git_diff_binary_cb binary_cb, git_diff_hunk_cb hunk_cb, git_diff_line_cb line_cb, void *payload), (old_buffer, old_len, old_as_path, new_buffer, new_len, new_as_path, options, file_cb, binary_cb, hunk_cb, line_cb, payload), -1) \
	F(int, git_diff_find_similar, (git_diff *diff, const git_diff_find_options *options), (diff, options), -1) \
	F(const git_diff_delta *, git_diff_get_delta, (const git_diff *diff, size_t idx), (diff, idx), NULL) \
	F(size_t, git_diff_num_deltas, (const git_diff *diff), (diff), 0) \
	F(int, git_diff_options_init, (git_diff_options *opts, unsigned int version), (opts, version), -1) \
	F(int, git_diff_tree_to_index, (git_diff **diff, git_repository *repo, git_tree *old_tree, git_index *index, const git_diff_options *opts), (diff, repo, old_tree, index, opts), -1) \
	F(int, git_diff_tree_to_tree, (git_diff **diff, git_repository *repo, git_tree *old_tree, git_tree *new_tree, const git_diff_options *opts), (diff, repo, old_tree, new_tree, opts), -1) \
	F(int, git_diff_tree_to_workdir_with_index, (git_diff **diff, git_repository *repo, git_tree *old_tree, const git_diff_options *opts), (diff, repo, old_tree, opts), -1) \
	F(int, git_index_add, (git_index *index, const git_index_entry *source_entry), (index, source_entry), -1) \
	F(int, git_index_entry_stage, (const git_index_entry *entry), (entry), -1) \
	F(size_t, git_index_entrycount, (const git_index *index), (index), 0) \
	F(int, git_index_find_prefix, (size_t *at_pos, git_index *index, const char *prefix), (at_pos, index, prefix), -1) \
	F(const git_index_entry *, git_index_get_byindex, (git_index *index, size_t n), (index, n), NULL) \
	F(const git_index_entry *, git_index_get_bypath, (git_index *index, const char *path, int stage), (index, path, stage), NULL) \
	F(int, git_index_remove_bypath, (git_index *index, const char *path), (index, path), -1) \
	F(int, git_index_write, (git_index *index), (index), -1) \
	F(int, git_libgit2_init, (void), (), -1) \
	F(int, git_libgit2_shutdown, (void), (), -1) \
	F(int, git_libgit2_version, (int *major, int *minor, int *rev), (major, minor, rev), -1) \
	F(int, git_merge_base, (git_oid *out, git_repository *repo, const git_oid *one, const git_oid *two), (out, repo, one, two), -1) \
	F(int, git_object_peel, (git_object **peeled, const git_object *object, git_object_t target_type), (peeled, object, target_type), -1) \
	F(int, git_odb_hash, (git_oid *out, const void *data, size_t len, git_object_t type), (out, data, len, type), -1) \
	F(const void *, git_odb_object_data, (git_odb_object *object), (object), NULL) \
	F(size_t, git_odb_object_size, (git_odb_object *object), (object), 0) \
	F(git_object_t, git_odb_object_type, (git_odb_object *object), (object), GIT_OBJECT_INVALID) \
	F(int, git_odb_read, (git_odb_object **out, git_odb *db, const git_oid *id), (out, db, id), -1) \
	F(int, git_oid_cpy, (git_oid *out, const git_oid *src), (out, src), -1) \
	F(int, git_oid_equal, (const git_oid *a, const git_oid *b), (a, b), -1) \
	F(int, git_oid_fromraw, (git_oid *out, const unsigned char *raw), (out, raw), -1) \
	F(int, git_oid_fromstr, (git_oid *out, const char *str), (out, str), -1) \
	F(int, git_oid_fromstrn, (git_oid *out, const char *str, size_t length), (out, str, length), -1) \
	F(int, git_oid_is_zero, (const git_oid *id), (id), -1) \
	F(char *, git_oid_tostr, (char *out, size_t n, const git_oid *id), (out, n, id), NULL) \
	F(char *, git_oid_tostr_s, (const git_oid *oid), (oid), NULL) \
	F(int, git_reference_foreach_glob, (git_repository *repo, const char *glob, git_reference_foreach_name_cb callback, void *payload), (repo, glob, callback, payload), -1) \
	F(int, git_reference_is_branch, (const git_reference *ref), (ref), -1) \
	F(int, git_reference_lookup, (git_reference **out, git_repository *repo, const char *name), (out, repo, name), -1) \
	F(int, git_reference_name_to_id, (git_oid *out, git_repository *repo, const char *name), (out, repo, name), -1) \
	F(const char *, git_reference_shorthand, (const git_reference *ref), (ref), NULL) \
	F(const char *, git_reference_symbolic_target, (const git_reference *ref), (ref), NULL) \
	F(git_reference_t, git_reference_type, (const git_reference *ref), (ref), GIT_REFERENCE_INVALID) \
	F(const char *, git_repository_commondir, (const git_repository *repo), (repo), NULL) \
	F(int, git_repository_config_snapshot, (git_config **out, git_repository *repo), (out, repo), -1) \
	F(int, git_repository_discover, (git_buf *out, const char *start_path, int across_fs, const char *ceiling_dirs), (out, start_path, across_fs, ceiling_dirs), -1) \
	F(int, git_repository_head, (git_reference **out, git_repository *repo), (out, repo), -1) \
	F(int, git_repository_head_unborn, (git_repository *repo), (repo), -1) \
	F(int, git_repository_index, (git_index **out, git_repository *repo), (out, repo), -1) \
	F(int, git_repository_is_bare, (const git_repository *repo), (repo), -1) \
	F(int, git_repository_is_shallow, (git_repository *repo), (repo), -1) \
	F(int, git_repository_odb, (git_odb **out, git_repository *repo), (out, repo), -1) \
	F(int, git_repository_open, (git_repository **out, const char *path), (out, path), -1) \
	F(int, git_repository_open_ext, (git_repository **out, const char *path, unsigned int flags, const char *ceiling_dirs), (out, path, flags, ceiling_dirs), -1) \
	F(const char *, git_repository_path, (const git_repository *repo), (repo), NULL) \
	F(int, git_repository_state, (git_repository *repo), (repo), -1) \
	F(const char *, git_repository_workdir, (const git_repository *repo), (repo), NULL) \
	F(int, git_revparse_single, (git_object **out, git_repository *repo, const char *spec), (out, repo, spec), -1) \
	F(int, git_revwalk_hide, (git_revwalk *walk, const git_oid *commit_id), (walk, commit_id), -1) \
	F(int, git_revwalk_new, (git_revwalk **out, git_repository *repo), (out, repo), -1) \
	F(int, git_revwalk_next, (git_oid *out, git_revwalk *walk), (out, walk), -1) \
	F(int, git_revwalk_push, (git_revwalk *walk, const git_oid *id), (walk, id), -1) \
	F(int, git_revwalk_sorting, (git_revwalk *walk, unsigned int sort_mode), (walk, sort_mode), -1) \
	F(int, git_tree_dup, (git_tree **out, git_tree *source), (out, source), -1) \
	F(const git_tree_entry *, git_tree_entry_byindex, (const git_tree *tree, size_t idx), (tree, idx), NULL) \
	F(int, git_tree_entry_bypath, (git_tree_entry **out, const git_tree *root, const char *path), (out, root, path), -1) \
	F(git_filemode_t, git_tree_entry_filemode, (const git_tree_entry *entry), (entry), GIT_FILEMODE_UNREADABLE) \
	F(const git_oid *, git_tree_entry_id, (const git_tree_entry *entry), (entry), NULL) \
	F(const char *, git_tree_entry_name, (const git_tree_entry *entry), (entry), NULL) \
	F(git_object_t, git_tree_entry_type, (const git_tree_entry *entry), (entry), GIT_OBJECT_INVALID) \
	F(size_t, git_tree_entrycount, (const git_tree *tree), (tree), 0) \
	F(const git_oid *, git_tree_id, (const git_tree *tree), (tree), NULL) \
	F(int, git_tree_lookup, (git_tree **out, git_repository *repo, const git_oid *id), (out, repo, id), -1)

#define MLINT_GIT_VOIDS(V) \
	V(git_blob_free, (git_blob *blob), (blob)) \
	V(git_buf_dispose, (git_buf *buffer), (buffer)) \
	V(git_commit_free, (git_commit *commit), (commit)) \
	V(git_config_free, (git_config *cfg), (cfg)) \
	V(git_diff_free, (git_diff *diff), (diff)) \
	V(git_error_clear, (void), ()) \
	V(git_index_free, (git_index *index), (index)) \
	V(git_object_free, (git_object *object), (object)) \
	V(git_odb_free, (git_odb *db), (db)) \
	V(git_odb_object_free, (git_odb_object *object), (object)) \
	V(git_reference_free, (git_reference *ref), (ref)) \
	V(git_repository_free, (git_repository *repo), (repo)) \
	V(git_revwalk_free, (git_revwalk *walk), (walk)) \
	V(git_tree_entry_free, (git_tree_entry *entry), (entry)) \
	V(git_tree_free, (git_tree *tree), (tree))

#endif
