#!/bin/sh
# Runs inside the debootstrapped root (chroot) to turn it into the lab's base image:
# a plain Debian 12 server reachable over SSH by an automation account, as an installer
# (preseed/cloud-init) would leave it. Roles do everything else.
set -eu

# The automation account Ansible logs in with (key installed per container by lab.up).
useradd --create-home --shell /bin/bash --comment "Ansible otomasyon hesabı" ansible
install -d -m 0700 -o ansible -g ansible /home/ansible/.ssh
printf 'ansible ALL=(ALL:ALL) NOPASSWD: ALL\n' > /etc/sudoers.d/ansible
chmod 0440 /etc/sudoers.d/ansible

# Every container gets its own SSH host keys at first boot, not a copy of the image's.
rm -f /etc/ssh/ssh_host_*
cat > /etc/systemd/system/ssh-hostkeys.service <<'UNIT'
[Unit]
Description=Generate SSH host keys on first boot
Before=ssh.service
ConditionPathExists=!/etc/ssh/ssh_host_ed25519_key

[Service]
Type=oneshot
ExecStart=/usr/bin/ssh-keygen -A

[Install]
WantedBy=multi-user.target
UNIT
systemctl enable ssh-hostkeys.service ssh.service

# Security and point-release updates, as an installer with network access applies them
# (debootstrap takes the release only). Role common then manages the sources.
cat > /etc/apt/sources.list <<'SOURCES'
deb http://deb.debian.org/debian bookworm main
deb http://deb.debian.org/debian bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
SOURCES
printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
chmod 0755 /usr/sbin/policy-rc.d
apt-get -q update
DEBIAN_FRONTEND=noninteractive apt-get -q -y -o Dpkg::Options::=--force-confold upgrade
rm -f /usr/sbin/policy-rc.d

# Lab speed: the lab and Molecule run hundreds of package installs on 2 CPUs, and after each
# one man-db rebuilds its index. No man pages, info or docs are unpacked (licences are kept)
# and the index is not rebuilt. Nothing the roles do reads these files.
cat > /etc/dpkg/dpkg.cfg.d/bilgiislem-lab <<'EXCLUDES'
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
EXCLUDES
echo 'man-db man-db/auto-update boolean false' | debconf-set-selections
rm -f /var/lib/man-db/auto-update
# dpkg syncs every file it unpacks to disk; a lab container thrown away after the run does not
# need that (Debian's own container images do the same).
echo force-unsafe-io > /etc/dpkg/dpkg.cfg.d/bilgiislem-lab-unsafe-io

# Units that have no work to do in a container.
systemctl mask getty@tty1.service console-getty.service systemd-remount-fs.service \
  systemd-firstboot.service
# No package run starts on the lab's own clock: apt-daily-upgrade fires between 06:00 and
# 07:00 and would hold the dpkg lock (and restart services) in the middle of a test. Production
# hosts keep both timers; role common configures what they do.
systemctl mask apt-daily.timer apt-daily-upgrade.timer
: > /etc/machine-id
apt-get clean
