package io.github.etcdgrpclb.console;

import static io.github.etcdgrpclb.support.EchoCalls.assertFits;
import static io.github.etcdgrpclb.support.EchoCalls.awaitEtcdWeights;
import static io.github.etcdgrpclb.support.EchoCalls.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import io.github.etcdgrpclb.support.PlainEchoServer;
import io.github.etcdgrpclb.support.RawEtcd;
import io.github.etcdgrpclb.test.EtcdExtension;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Wait;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * An admin steers the fleet from the console in a real browser, through etcd only: two real gRPC
 * servers (registrars of the core, as a plain grpc-java user runs them) behind a real client channel.
 * A weight set on the page reaches the operator's key, the server's own key (a plain integer, what the
 * Go tutorial's clients read) and the client's split; a drain takes the server out of the calls and
 * "Bring back" returns it. A read-only user sees no action that writes and cannot post one.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConsoleOperatorBrowserTests {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	@RegisterExtension
	static final RawEtcd raw = RawEtcd.of(etcd);

	@RegisterExtension
	static final HeadlessChromium chromium = new HeadlessChromium();

	private ChromeDriver browser;

	private RunningConsole console;

	private PlainEchoServer a;

	private PlainEchoServer b;

	private ManagedChannel channel;

	@BeforeEach
	void startFleetAndConsole() {
		this.browser = chromium.browser();
		this.browser.manage().deleteAllCookies();
		this.a = new PlainEchoServer(raw.client(), "/grpclb", "orders", "a", 1, Duration.ofSeconds(5));
		this.b = new PlainEchoServer(raw.client(), "/grpclb", "orders", "b", 1, Duration.ofSeconds(5));
		this.channel = ManagedChannelBuilder
			.forTarget("etcd://" + etcd.etcd().member(0).clientEndpoint().getAuthority() + "/orders")
			.usePlaintext()
			.build();
		this.console = new RunningConsole(etcd.endpoints(), "console.users.alice.password=admin-secret",
				"console.users.alice.role=ADMIN", "console.users.bob.password=viewer-secret",
				"console.users.bob.role=VIEWER");
	}

	@AfterEach
	void stop() {
		this.console.close();
		this.channel.shutdownNow();
		raw.delete("/grpclb-ops/orders/127.0.0.1:" + this.a.port());
		raw.delete("/grpclb-ops/orders/127.0.0.1:" + this.b.port());
		this.a.close();
		this.b.close();
	}

	@Test
	void weightSetByAnAdminShouldReachTheKeysAndTheClientsSplitAndADrainShouldTakeTheServerOut(
			CapturedOutput output) {
		awaitEtcdWeights(this.channel);
		signIn("alice", "admin-secret");
		String addressB = "127.0.0.1:" + this.b.port();

		WebElement weight = form(addressB).findElement(By.name("weight"));
		weight.clear();
		weight.sendKeys("3");
		long clicked = System.nanoTime();
		form(addressB).findElement(By.cssSelector("button[value=weight]")).click();
		waitLive().until(ExpectedConditions.textToBe(weightCell(addressB), "3"));
		long shown = System.nanoTime() - clicked;

		assertThat(raw.values("/grpclb-ops/orders/").get("/grpclb-ops/orders/" + addressB))
			.startsWith("{\"weight\":3,\"drained\":false,\"by\":\"alice\",\"at\":\"");
		assertThat(raw.values("/grpclb/orders/")).as("the server's own key, a plain integer")
			.containsEntry("/grpclb/orders/" + addressB, "3");
		awaitEtcdWeights(this.channel);
		assertFits(call(this.channel, 2000), Map.of("a", 1, "b", 3));
		assertThat(output).contains("alice set /grpclb-ops/orders/" + addressB + " = {\"weight\":3");

		String addressA = "127.0.0.1:" + this.a.port();
		long drainClicked = System.nanoTime();
		form(addressA).findElement(By.cssSelector("button[value=drain]")).click();
		waitLive().until(ExpectedConditions.textToBe(weightCell(addressA), "drained"));
		long drainShown = System.nanoTime() - drainClicked;
		assertThat(raw.get("/grpclb/orders/" + addressA)).as("withdrawn").isNull();
		await().atMost(Duration.ofSeconds(5)).until(() -> call(this.channel, 100).keySet().equals(Set.of("b")));

		form(addressA).findElement(By.cssSelector("button[value=reset]")).click();
		waitLive().until(ExpectedConditions.textToBe(weightCell(addressA), "1"));
		await().atMost(Duration.ofSeconds(5)).until(() -> call(this.channel, 100).keySet().size() == 2);
		assertThat(output).contains("alice reset /grpclb-ops/orders/" + addressA);
		System.out.printf("console: a weight set on the page shown as published %d ms after the click, a drain %d ms%n",
				shown / 1_000_000, drainShown / 1_000_000);
	}

	@Test
	void readOnlyUserShouldSeeNoActionThatWritesAndBeRefusedOne() throws Exception {
		signIn("bob", "viewer-secret");
		String addressB = "127.0.0.1:" + this.b.port();
		waitLive().until(ExpectedConditions.textToBe(weightCell(addressB), "1"));

		assertThat(this.browser.findElements(By.cssSelector("#services form, #services button, #services input")))
			.isEmpty();
		assertThat(this.browser.findElement(By.cssSelector("p.user")).getText()).contains("bob (read-only)");
		// A viewer who writes the form by hand, with the page's own CSRF token: refused all the same.
		this.browser.executeScript("""
				const form = document.createElement('form');
				form.method = 'post';
				form.action = 'actions/override';
				for (const [name, value] of Object.entries({service: 'orders', address: arguments[0], action: 'drain'})) {
				    const input = document.createElement('input');
				    input.name = name;
				    input.value = value;
				    form.appendChild(input);
				}
				document.body.appendChild(form);
				form.requestSubmit();
				""", addressB);
		new WebDriverWait(this.browser, Duration.ofSeconds(5)).ignoring(StaleElementReferenceException.class)
			.until((page) -> page.getPageSource().contains("status=403"));
		assertThat(raw.get("/grpclb-ops/orders/" + addressB)).isNull();
	}

	private void signIn(String user, String password) {
		this.browser.get(this.console.base() + "/login");
		this.browser.findElement(By.name("username")).sendKeys(user);
		this.browser.findElement(By.name("password")).sendKeys(password);
		this.browser.findElement(By.cssSelector("button[type=submit]")).click();
		new WebDriverWait(this.browser, Duration.ofSeconds(10)).ignoring(StaleElementReferenceException.class)
			.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-live", "true"));
	}

	private WebElement form(String address) {
		return this.browser.findElement(By.cssSelector("#services tr.instance[data-address='" + address + "'] form"));
	}

	private static By weightCell(String address) {
		return By.cssSelector("#services tr.instance[data-address='" + address + "'] td.weight");
	}

	/**
	 * A change in etcd shows within 2 s (the goal), counted from the click's page load. A section
	 * swapped in by the stream while an element of it is read is read again.
	 */
	private Wait<WebDriver> waitLive() {
		return new WebDriverWait(this.browser, Duration.ofSeconds(2)).ignoring(StaleElementReferenceException.class);
	}

}
