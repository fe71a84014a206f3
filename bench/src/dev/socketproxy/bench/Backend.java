package dev.socketproxy.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * nginx as the socket server: one worker, listening on a Unix socket (what every proxy
 * forwards to) and on a TCP port (the no-proxy ceiling). Serves a 570-byte JSON at any
 * path (like Docker's {@code /version}), a 100 KB JSON at {@code /big.json}, a large body
 * at {@code /blob}, and the {@link EventSource}'s slow chunked stream at {@code /events}.
 */
final class Backend {

	static final String SMALL_PATH = "/version";

	static final String BIG_PATH = "/big.json";

	static final String BLOB_PATH = "/blob";

	static final String EVENTS_PATH = "/events";

	final Path socket;

	final int port;

	/** nginx; another process after {@link #restart}. */
	volatile Process process;

	private final List<String> command;

	private final Path log;

	private final Launched launched;

	private Backend(Path socket, int port, List<String> command, Path log, Launched launched) throws IOException {
		this.socket = socket;
		this.port = port;
		this.command = command;
		this.log = log;
		this.launched = launched;
		this.process = launched.start(command, log);
	}

	static Backend start(Path work, Launched launched, Path eventSocket, int blobMegabytes) throws IOException {
		Path root = Files.createDirectories(work.resolve("www"));
		Files.writeString(root.resolve("small.json"), smallJson());
		Files.writeString(root.resolve("big.json"), bigJson());
		writeBlob(root.resolve("blob"), blobMegabytes);
		Path socket = work.resolve("backend.sock");
		int port = Ports.free();
		boolean root_user = "root".equals(System.getProperty("user.name"));
		String conf = """
				%s
				worker_processes 1;
				worker_rlimit_nofile 19000;
				pid %s;
				error_log %s warn;
				events { worker_connections 18000; }
				http {
				  access_log off;
				  client_body_temp_path %s/tmp; proxy_temp_path %s/tmp; fastcgi_temp_path %s/tmp;
				  uwsgi_temp_path %s/tmp; scgi_temp_path %s/tmp;
				  keepalive_requests 1000000;
				  keepalive_timeout 120s;
				  default_type application/json;
				  sendfile on;
				  server {
				    listen unix:%s;
				    listen 127.0.0.1:%d;
				    root %s;
				    location = /big.json { }
				    location = /blob { default_type application/octet-stream; }
				    location /events {
				      proxy_pass http://unix:%s:;
				      proxy_http_version 1.1;
				      proxy_buffering off;
				      proxy_read_timeout 60s;
				    }
				    location / { rewrite ^ /small.json break; }
				  }
				}
				""".formatted(root_user ? "user root;" : "", work.resolve("nginx.pid"), work.resolve("nginx-error.log"),
				work, work, work, work, work, socket, port, root, eventSocket);
		Files.createDirectories(work.resolve("tmp"));
		Path confFile = work.resolve("nginx.conf");
		Files.writeString(confFile, conf);
		Backend backend = new Backend(socket, port, List.of("nginx", "-p", work.toString(), "-e",
				work.resolve("nginx-error.log").toString(), "-c", confFile.toString(), "-g", "daemon off;"),
				work.resolve("nginx.out"), launched);
		Http.awaitOk("nginx", backend.process, port, SMALL_PATH);
		return backend;
	}

	/**
	 * The engine going away and coming back, as a restarted dockerd does: its socket is
	 * removed (a new connection fails at once) and nginx stops (closing every connection),
	 * and {@code gap} after the removal a new nginx binds the socket again. Returns
	 * {@link System#nanoTime()} when the socket was removed and when it answered again.
	 */
	long[] restart(Duration gap) throws IOException {
		Files.deleteIfExists(this.socket);
		long gone = System.nanoTime();
		Launched.stop(this.process);
		Launched.sleep(Duration.ofNanos(Math.max(0, gone + gap.toNanos() - System.nanoTime())));
		this.process = this.launched.start(this.command, this.log);
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (!Files.exists(this.socket) || Http.status(this.port, SMALL_PATH) != 200) {
			if (System.nanoTime() > deadline || !this.process.isAlive()) {
				throw new IOException("nginx did not come back; see " + this.log);
			}
			Launched.sleep(Duration.ofMillis(2));
		}
		return new long[] { gone, System.nanoTime() };
	}

	/** About 570 bytes, shaped like Docker's {@code GET /version}. */
	static String smallJson() {
		return """
				{"Platform":{"Name":"Docker Engine - Community"},"Components":[{"Name":"Engine","Version":"20.10.24",\
				"Details":{"ApiVersion":"1.41","Arch":"amd64","BuildTime":"2023-05-18T00:00:00.000000000+00:00",\
				"Experimental":"false","GitCommit":"5d6db84","GoVersion":"go1.19.8","KernelVersion":"6.1.0",\
				"MinAPIVersion":"1.12","Os":"linux"}},{"Name":"containerd","Version":"1.6.20","Details":\
				{"GitCommit":"2806fc1"}},{"Name":"runc","Version":"1.1.5","Details":{"GitCommit":"f19387a"}}],\
				"Version":"20.10.24","ApiVersion":"1.41","MinAPIVersion":"1.12","GitCommit":"5d6db84",\
				"GoVersion":"go1.19.8","Os":"linux","Arch":"amd64","KernelVersion":"6.1.0","BuildTime":\
				"2023-05-18T00:00:00.000000000+00:00"}
				""";
	}

	/** About 100 KB: a container list. */
	static String bigJson() {
		StringBuilder json = new StringBuilder("[");
		int i = 0;
		while (json.length() < 100_000) {
			if (i > 0) {
				json.append(',');
			}
			json.append("""
					{"Id":"%064x","Names":["/service-%d"],"Image":"example/app:1.%d","Command":"/entrypoint.sh run",\
					"Created":%d,"State":"running","Status":"Up 3 hours","Ports":[{"PrivatePort":8080,"Type":"tcp"}],\
					"Labels":{"com.example.service":"app-%d"},"NetworkSettings":{"Networks":{"bridge":{"IPAddress":\
					"172.17.0.%d"}}}}""".formatted(i * 7919L, i, i % 10, 1700000000 + i, i, i % 250 + 2));
			i++;
		}
		return json.append("]\n").toString();
	}

	private static void writeBlob(Path file, int megabytes) throws IOException {
		byte[] chunk = new byte[1 << 20];
		for (int i = 0; i < chunk.length; i++) {
			chunk[i] = (byte) ('a' + i % 26);
		}
		try (OutputStream out = Files.newOutputStream(file)) {
			for (int i = 0; i < megabytes; i++) {
				out.write(chunk);
			}
		}
	}

}
