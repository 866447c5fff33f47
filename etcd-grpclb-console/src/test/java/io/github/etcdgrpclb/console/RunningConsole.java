package io.github.etcdgrpclb.console;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The console application on a loopback port of its own, for the tests, and its pages read as text. */
final class RunningConsole implements AutoCloseable {

	private final HttpClient http = HttpClient.newHttpClient();

	private final ConfigurableApplicationContext context;

	private final String base;

	RunningConsole(String etcdEndpoints) {
		this.context = new SpringApplicationBuilder(ConsoleApplication.class)
			.properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off")
			.run("--etcd.endpoints=" + etcdEndpoints);
		this.base = "http://127.0.0.1:" + this.context.getEnvironment().getProperty("local.server.port");
	}

	ConfigurableApplicationContext context() {
		return this.context;
	}

	/** @return {@code http://127.0.0.1:<port>} */
	String base() {
		return this.base;
	}

	/** @return the body of a GET of the path */
	String get(String path) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(URI.create(this.base + path)).build(),
				HttpResponse.BodyHandlers.ofString()).body();
	}

	@Override
	public void close() {
		this.context.close();
	}

}
