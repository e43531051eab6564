/*
 * Runs a program under the seccomp filter systemd installs for MemoryDenyWriteExecute=yes (systemd's
 * src/shared/seccomp-util.c, seccomp_memory_deny_write_execute): mmap with PROT_WRITE and PROT_EXEC together,
 * mprotect/pkey_mprotect adding PROT_EXEC, and shmat with SHM_EXEC fail with EPERM. NoNewPrivileges comes first, as
 * systemd does, so an unprivileged user may install the filter. Used by test/systemd/deny-write-execute.test.ts to
 * show that the daemon runs with the unit's NODE_OPTIONS (--jitless) under this filter.
 *
 * Usage: deny-write-execute PROGRAM [ARG...]
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define OUR_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define OUR_ARCH AUDIT_ARCH_AARCH64
#else
#error "add the AUDIT_ARCH of this machine"
#endif

#define ARG_LOW(n) offsetof(struct seccomp_data, args[n])
#define DENY BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA))
#define ALLOW BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s PROGRAM [ARG...]\n", argv[0]);
    return 2;
  }
  struct sock_filter filter[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, OUR_ARCH, 1, 0),
      DENY,
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_mmap, 0, 4),
      /* mmap: deny when prot has both PROT_WRITE and PROT_EXEC */
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LOW(2)),
      BPF_STMT(BPF_ALU | BPF_AND | BPF_K, PROT_WRITE | PROT_EXEC),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PROT_WRITE | PROT_EXEC, 0, 1),
      DENY,
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_mprotect, 1, 0),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_pkey_mprotect, 0, 3),
      /* mprotect, pkey_mprotect: deny any PROT_EXEC */
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LOW(2)),
      BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, PROT_EXEC, 0, 1),
      DENY,
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_shmat, 0, 3),
      /* shmat: deny SHM_EXEC */
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LOW(2)),
      BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, SHM_EXEC, 0, 1),
      DENY,
      ALLOW,
  };
  struct sock_fprog program = {.len = sizeof(filter) / sizeof(filter[0]), .filter = filter};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    perror("prctl(PR_SET_NO_NEW_PRIVS)");
    return 1;
  }
  if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) != 0) {
    perror("prctl(PR_SET_SECCOMP)");
    return 1;
  }
  execvp(argv[1], argv + 1);
  perror("execvp");
  return 127;
}
