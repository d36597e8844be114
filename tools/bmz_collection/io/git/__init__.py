"""All git, behind one package: the git CLI through subprocess, in a hardened environment.

Partners are organisations we do not control, so no git call may run anything they wrote:
hooks are off (``core.hooksPath=/dev/null``), submodules never recurse, only ``https`` (and
``file`` with ``--allow-local``) may be spoken, nothing prompts, and every call has a timeout
after which its whole process group is killed. Partner repositories are read from git objects
(``objects.GitTree``), never from a working tree.

- ``process``: the hardened environment, spawning and killing git, ``Git``, ``GitError``;
- ``repo``: the central repository (``Repo``): its index, gitlinks and ``.gitmodules``;
- ``objects``: commits and blobs of a repository (``GitTree``, ``resolve_commit``, ...);
- ``fetch``: fetching one branch of a partner;
- ``revisions``: the central repository's own history (a revision, a file or the gitlinks at
  a commit), with an unknown revision, a missing file and a git failure kept apart.
"""
