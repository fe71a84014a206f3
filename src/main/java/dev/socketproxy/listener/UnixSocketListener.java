package dev.socketproxy.listener;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

import org.springframework.beans.factory.DisposableBean;

import dev.socketproxy.config.InvalidConfigurationException;

/**
 * The socket file the proxy listens on instead of TCP: a stale file from an earlier run
 * is replaced (anything that is not a socket is left alone and stops the start), the
 * file gets its configured mode once bound, and it is removed on shutdown. Who may
 * connect is decided by that mode; there is no client address to check.
 */
public class UnixSocketListener implements DisposableBean {

	private static final String KEY = "socketproxy.proxy-socket-endpoint";

	private static final int S_IFMT = 0170000;

	private static final int S_IFSOCK = 0140000;

	private final Path path;

	private final int mode;

	public UnixSocketListener(Path path, int mode) {
		this.path = path;
		this.mode = mode;
	}

	public Path path() {
		return this.path;
	}

	/** Clears the way for binding: removes a socket file left behind by an earlier run. */
	void removeStaleSocket() {
		if (!Files.exists(this.path, LinkOption.NOFOLLOW_LINKS)) {
			return;
		}
		if (!isSocket()) {
			throw new InvalidConfigurationException(KEY, this.path, "exists and is not a socket; refusing to replace it");
		}
		delete();
	}

	/** Applies the configured file mode to the bound socket. */
	void restrictAccess() {
		try {
			Files.setPosixFilePermissions(this.path, permissions(this.mode));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot set the mode of " + this.path, ex);
		}
	}

	@Override
	public void destroy() {
		if (Files.exists(this.path, LinkOption.NOFOLLOW_LINKS) && isSocket()) {
			delete();
		}
	}

	private boolean isSocket() {
		try {
			int mode = (Integer) Files.getAttribute(this.path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
			return (mode & S_IFMT) == S_IFSOCK;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void delete() {
		try {
			Files.deleteIfExists(this.path);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot remove " + this.path, ex);
		}
	}

	static Set<PosixFilePermission> permissions(int mode) {
		Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
		PosixFilePermission[] bits = { PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
				PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
				PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
				PosixFilePermission.OWNER_READ };
		for (int bit = 0; bit < bits.length; bit++) {
			if ((mode & (1 << bit)) != 0) {
				permissions.add(bits[bit]);
			}
		}
		return permissions;
	}

}
