// SPDX-License-Identifier: LGPL-2.1-or-later
// NUnit tests of the C# binding against xml: and local: contexts of this build.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml;
using NUnit.Framework;
using iio;

namespace iio.tests
{
    [TestFixture]
    public class ContextTests
    {
        static string FixtureXml(string name)
        {
            string dir = Environment.GetEnvironmentVariable("IIO_FIXTURE_XML_DIR") ?? "/work/shared/fixtures/xml";
            return Path.Combine(dir, name);
        }

        static IEnumerable<XmlElement> Children(XmlNode node, string name)
        {
            return node.ChildNodes.OfType<XmlElement>().Where(e => e.Name == name);
        }

        [Test]
        public void DevicesChannelsAndAttributesMatchTheDocument()
        {
            string path = FixtureXml("fmcomms2.xml");
            XmlDocument doc = new XmlDocument { XmlResolver = null };
            doc.Load(new XmlTextReader(path) { DtdProcessing = DtdProcessing.Ignore });
            XmlElement root = doc.DocumentElement;
            using (Context ctx = new Context("xml:" + path)) {
                Assert.AreEqual("xml", ctx.name);
                var expected = Children(root, "device").Select(d => d.GetAttribute("id")).OrderBy(s => s, StringComparer.Ordinal).ToList();
                var actual = ctx.devices.Select(d => d.id).OrderBy(s => s, StringComparer.Ordinal).ToList();
                CollectionAssert.AreEqual(expected, actual);
                foreach (XmlElement d in Children(root, "device")) {
                    Device dev = ctx.get_device(d.GetAttribute("id"));
                    Assert.IsNotNull(dev);
                    Assert.AreEqual(d.HasAttribute("name") ? d.GetAttribute("name") : null, dev.name);
                    Assert.AreEqual(Children(d, "channel").Count(), dev.channels.Count);
                    foreach (XmlElement a in Children(d, "attribute"))
                        Assert.IsTrue(dev.attrs.ContainsKey(a.GetAttribute("name")));
                }
                Device phy = ctx.get_device("ad9361-phy");
                XmlElement xphy = Children(root, "device").First(d => d.GetAttribute("name") == "ad9361-phy");
                XmlElement ensm = Children(xphy, "attribute").First(a => a.GetAttribute("name") == "ensm_mode");
                Assert.AreEqual(ensm.GetAttribute("value"), phy.attrs["ensm_mode"].read());
            }
        }

        [Test]
        public void LookupsAndMissingThings()
        {
            using (Context ctx = new Context("xml:" + FixtureXml("fmcomms2.xml"))) {
                Device rx = ctx.get_device("cf-ad9361-lpc");
                Assert.IsNotNull(rx);
                Assert.IsNull(ctx.get_device("no-such-device"));
                Assert.IsNull(rx.get_channel("no-such-channel"));
                Channel v0 = rx.get_channel("voltage0");
                Assert.IsNotNull(v0);
                Assert.IsTrue(v0.scan_element);
                Assert.AreEqual(Channel.ChannelType.IIO_VOLTAGE, v0.type);
                Assert.AreEqual(16u, v0.format.length);
                Assert.AreEqual(1, rx.buffers.Count);
            }
        }

        [Test]
        public void ErrorsCarryTheErrno()
        {
            IIOException e = Assert.Throws<IIOException>(() => new Context("xml:/no/such/file.xml"));
            Assert.AreEqual(-2, e.ErrorCode);
            StringAssert.Contains("No such file", e.Message);
            e = Assert.Throws<IIOException>(() => new Context("nosuchbackend:"));
            Assert.AreEqual(-38, e.ErrorCode);
        }

        [Test]
        public void LibraryQueries()
        {
            Assert.IsTrue(IioLib.has_backend("xml"));
            Assert.IsFalse(IioLib.has_backend("nosuch"));
            Assert.AreEqual(1u, IioLib.library_version.major);
            var names = new List<string>();
            for (uint i = 0; i < IioLib.get_builtin_backends_count(); i++)
                names.Add(IioLib.get_builtin_backend(i));
            CollectionAssert.Contains(names, "xml");
            StringAssert.Contains("Invalid argument", IioLib.strerror(-22));
        }

        [Test]
        public void MasksAndSampleSize()
        {
            using (Context ctx = new Context("xml:" + FixtureXml("fmcomms2.xml"))) {
                Device rx = ctx.get_device("cf-ad9361-lpc");
                using (ChannelsMask mask = new ChannelsMask((uint)rx.channels.Count)) {
                    Channel v0 = rx.get_channel("voltage0"), v1 = rx.get_channel("voltage1");
                    v0.enable(mask);
                    v1.enable(mask);
                    Assert.IsTrue(v0.is_enabled(mask));
                    Assert.AreEqual((v0.format.length + v1.format.length) / 8, rx.get_sample_size(mask));
                    v1.disable(mask);
                    Assert.IsFalse(v1.is_enabled(mask));
                    // xml: contexts describe devices; they cannot stream.
                    IIOException e = Assert.Throws<IIOException>(() => rx.buffers[0].open(mask));
                    Assert.AreEqual(-38, e.ErrorCode);
                }
            }
        }
    }
}
