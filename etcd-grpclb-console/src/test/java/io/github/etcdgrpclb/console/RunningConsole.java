package io.github.etcdgrpclb.console;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The console application on a loopback port of its own, for the tests, and its pages read as text. */
final class RunningConsole implements AutoCloseable {

	private final HttpClient http = HttpClient.newHttpClient();

	private final ConfigurableApplicationContext context;

	private final String base;

	RunningConsole(String etcdEndpoints, String... properties) {
		// As arguments: they must win over the console's own application.properties (port 8088).
		List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
				"--spring.main.banner-mode=off", "--etcd.endpoints=" + etcdEndpoints));
		Arrays.stream(properties).map((property) -> "--" + property).forEach(arguments::add);
		this.context = new SpringApplicationBuilder(ConsoleApplication.class).run(arguments.toArray(String[]::new));
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

	/**
	 * Posts a form, as a script would.
	 * @param bearer a bearer token, or null for none
	 * @return the response
	 */
	HttpResponse<String> post(String path, String bearer, String form) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form));
		if (bearer != null) {
			request.header("Authorization", "Bearer " + bearer);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Override
	public void close() {
		this.context.close();
	}

}
