#!/bin/sh
# Runs inside the debootstrapped Debian sid root (chroot) to make the lab's PBX image: a
# server without systemd (sysvinit), reachable over SSH by the automation account, with the
# packages role pbx would install already there. Roles do everything else.
set -eu

useradd --create-home --shell /bin/bash --comment "Ansible otomasyon hesabı" ansible
install -d -m 0700 -o ansible -g ansible /home/ansible/.ssh
printf 'ansible ALL=(ALL:ALL) NOPASSWD: ALL\n' > /etc/sudoers.d/ansible
chmod 0440 /etc/sudoers.d/ansible

# Every container gets its own SSH host keys at first boot, before sshd starts.
rm -f /etc/ssh/ssh_host_*
cat > /etc/init.d/ssh-hostkeys <<'INIT'
#!/bin/sh
### BEGIN INIT INFO
# Provides:          ssh-hostkeys
# Required-Start:    $local_fs
# Required-Stop:
# X-Start-Before:    ssh
# Default-Start:     2 3 4 5
# Default-Stop:
# Short-Description: Generate SSH host keys on first boot
### END INIT INFO
[ "$1" = start ] && [ ! -e /etc/ssh/ssh_host_ed25519_key ] && /usr/bin/ssh-keygen -A
exit 0
INIT
chmod 0755 /etc/init.d/ssh-hostkeys
update-rc.d ssh-hostkeys defaults

# No getty on consoles a container does not have.
sed -i 's/^\([1-6]\):/#\1:/' /etc/inittab

cat > /etc/apt/sources.list <<'SOURCES'
deb http://deb.debian.org/debian sid main
SOURCES
# Lab speed, as in the base image: no man pages or docs, no fsync per file.
cat > /etc/dpkg/dpkg.cfg.d/bilgiislem-lab <<'EXCLUDES'
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
EXCLUDES
echo force-unsafe-io > /etc/dpkg/dpkg.cfg.d/bilgiislem-lab-unsafe-io
rm -f /etc/machine-id
apt-get clean
