package io.github.etcdgrpclb.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.github.etcdgrpclb.support.RawEtcd;
import io.github.etcdgrpclb.test.EtcdExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser (Debian's headless chromium, driven through chromium-driver): a server
 * shows on the page within 2 s of its registration in etcd and goes within 2 s of its deregistration,
 * with no reload. A failed test leaves a screenshot in {@code target/screenshots}.
 */
class ConsoleBrowserTests {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	@RegisterExtension
	static final RawEtcd raw = RawEtcd.of(etcd);

	@RegisterExtension
	static final HeadlessChromium chromium = new HeadlessChromium();

	private ChromeDriver browser;

	private RunningConsole console;

	@BeforeEach
	void startConsole() {
		this.browser = chromium.browser();
		this.console = new RunningConsole(etcd.endpoints());
	}

	@AfterEach
	void stopConsole() {
		this.console.close();
		raw.delete("/grpclb/billing/127.0.0.1:9201");
	}

	@Test
	void serverShouldShowWithinTwoSecondsOfItsRegistrationAndGoWithinTwoOfItsDeregistration() {
		this.browser.get(this.console.base() + "/");
		new WebDriverWait(this.browser, Duration.ofSeconds(10)).ignoring(StaleElementReferenceException.class)
			.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-live", "true"));
		By row = By.cssSelector("#services tr.instance[data-address='127.0.0.1:9201'] td.weight");

		long registered = System.nanoTime();
		raw.put("/grpclb/billing/127.0.0.1:9201", "4");
		new WebDriverWait(this.browser, Duration.ofSeconds(2)).ignoring(StaleElementReferenceException.class)
			.until(ExpectedConditions.textToBe(row, "4"));
		long shown = System.nanoTime() - registered;

		long deregistered = System.nanoTime();
		raw.delete("/grpclb/billing/127.0.0.1:9201");
		new WebDriverWait(this.browser, Duration.ofSeconds(2)).ignoring(StaleElementReferenceException.class)
			.until(ExpectedConditions.numberOfElementsToBe(row, 0));
		long gone = System.nanoTime() - deregistered;
		System.out.printf("browser: a server shown %d ms after its registration, gone %d ms after its deregistration%n",
				shown / 1_000_000, gone / 1_000_000);
		assertThat(this.browser.findElement(By.tagName("body")).getAttribute("data-live")).isEqualTo("true");
	}

}
