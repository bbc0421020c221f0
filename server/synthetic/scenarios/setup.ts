// device_setup: router, earbuds pairing, eSIM activation, TV casting; answers are steps.
import { productsOf, type DeviceCategory, type Product } from '../catalog.ts';
import { weighted } from '../rng.ts';
import type { Answer, ScenarioDef, ScenarioScript } from '../scenario.ts';
import { formatMobile, residentId } from '../pii.ts';
import { requirePurchase } from './common.ts';

const VARIANTS: readonly (readonly [string, DeviceCategory])[] = [
  ['router', 'router'],
  ['earbuds', 'earbuds'],
  ['esim', 'phone'],
  ['tv_cast', 'tv'],
];

export const deviceSetup: ScenarioDef = {
  intent: 'device_setup',
  emotions: weighted([['calm', 70], ['frustrated', 25], ['angry', 5]]),
  plan(rng) {
    const [variant, category] = rng.pick(VARIANTS);
    const product = rng.pick(productsOf([category]));
    return { variant, need: { kind: 'device', product, daysBefore: rng.int(0, 20), warrantyMonths: rng.pick(product.warranty) } };
  },
  build(ctx): ScenarioScript {
    const { rng, zh, variant } = ctx;
    const p = requirePurchase(ctx);
    const model = (p.product as Product).model;
    let opener: string;
    let ask: string;
    let details: string;
    let answer: Answer;
    let ownPii: ('phone' | 'resident_id')[] = [];
    let kb: string;
    if (variant === 'router') {
      kb = 'KB-1042 router first-time setup (PPPoE)';
      opener = zh
        ? rng.pick([`新买的${model}不会设置，怎么连宽带？`, '路由器装好了但是连不上网', `${model}到了，怎么设置Wi-Fi啊？`])
        : rng.pick([`I just got the ${model} and can't figure out how to set it up with my broadband`, "the router is plugged in but there's no internet", `how do I set up Wi-Fi on the ${model}?`]);
      ask = zh ? '请问您家的光猫是运营商装的吗？网线接好了吗？' : 'Is your broadband modem from your provider, and is it connected?';
      details = zh ? rng.pick(['光猫是运营商装的，网线已经插上了', '是的，灯都亮着，就是没网']) : rng.pick(['Yes, the provider installed the modem and the cable is plugged in.', 'Yes, all the lights are on but no internet.']);
      const reference = zh
        ? 'Mesh路由器设置步骤：1. 用网线把光猫的LAN口连接到路由器的WAN口（蓝色网口）；2. 手机连接路由器底部标签上的Wi-Fi；3. 浏览器打开192.168.31.1，选择“宽带拨号（PPPoE）”，输入运营商提供的宽带账号和密码；4. 设置新的Wi-Fi名称和密码即可。'
        : "Here's how to set it up: 1. Connect the modem's LAN port to the router's WAN port (the blue one) with an Ethernet cable; 2. Join the Wi-Fi network printed on the label under the router; 3. Open 192.168.31.1 in a browser, choose PPPoE and enter the broadband username and password from your provider; 4. Set your new Wi-Fi name and password.";
      answer = zh
        ? { reference, facts: ['WAN口', '192.168.31.1', 'PPPoE'], good: rng.pick([reference, '您先用网线把光猫的LAN口和路由器蓝色的WAN口连起来，再用手机连上路由器底部标签上的Wi-Fi，然后浏览器打开192.168.31.1，上网方式选PPPoE，填宽带账号密码，最后设置Wi-Fi名称和密码就可以了。']), curt: '按说明书操作就行。', wrong: '直接长按reset键30秒恢复出厂设置就能上网了，不需要输入宽带账号。', rude: '这么简单都不会？说明书上写得清清楚楚。' }
        : { reference, facts: ['WAN port', '192.168.31.1', 'PPPoE'], good: rng.pick([reference, 'Plug an Ethernet cable from the LAN port on your modem into the blue WAN port on the router, join the Wi-Fi printed under the router, then go to 192.168.31.1, pick PPPoE and type in the broadband login from your provider. Finally choose your own Wi-Fi name and password.']), curt: "It's in the manual.", wrong: "Just hold the reset button for 30 seconds and it will connect automatically; you don't need any broadband username.", rude: "It's literally in the manual. Did you even read it?" };
    } else if (variant === 'earbuds') {
      kb = 'KB-2210 earbuds pairing';
      opener = zh
        ? rng.pick([`${model}怎么和手机配对啊，蓝牙搜不到`, '新买的耳机连不上手机', `${model}连不上蓝牙，是不是坏了？`])
        : rng.pick([`how do I pair the ${model} with my phone? Bluetooth can't find them`, "my new earbuds won't connect to my phone", `the ${model} won't connect over Bluetooth, are they broken?`]);
      ask = zh ? '请问您之前有连过其他手机吗？' : 'Have they been paired with another phone before?';
      details = zh ? rng.pick(['之前连过我老婆的手机', '没有，第一次用', '连过我的平板']) : rng.pick(["Yes, with my partner's phone.", 'No, first time using them.', 'I paired them with my tablet before.']);
      const reference = zh
        ? '请把两只耳机放回充电盒，打开盒盖，长按充电盒背面的按键3秒，看到指示灯白灯闪烁后，在手机蓝牙列表中选择“Pulse Buds”连接即可。如果之前连过其他设备，先在那台设备上“忽略此设备”再重新配对。'
        : "Put both earbuds back in the case, open the lid and hold the button on the back of the case for 3 seconds until the light flashes white, then pick 'Pulse Buds' in your phone's Bluetooth list. If they were paired with another device, choose 'Forget this device' there first.";
      answer = zh
        ? { reference, facts: ['3秒', '白灯闪烁'], good: rng.pick([reference, '耳机放回充电盒别合盖，长按盒子背面的按钮3秒，等白灯闪烁就进入配对模式了，这时候在手机蓝牙里点“Pulse Buds”就能连上。之前连过的设备记得先取消配对。']), curt: '长按按钮配对。', wrong: '这款耳机需要先下载专用App注册账号才能连接蓝牙。', rude: '这么简单都不会？说明书上写得清清楚楚。' }
        : { reference, facts: ['3 seconds', 'flashes white'], good: rng.pick([reference, "Leave the earbuds in the open case and hold the button on the back for 3 seconds; when the light flashes white they are in pairing mode, so tap 'Pulse Buds' in your Bluetooth settings. Unpair them from the old device first if needed."]), curt: 'Hold the button to pair.', wrong: 'You need to install our app and register an account before the earbuds will pair.', rude: "It's literally in the manual. Did you even read it?" };
    } else if (variant === 'esim') {
      kb = 'KB-3307 eSIM activation';
      opener = zh
        ? rng.pick([`我想把手机号转成eSIM，在${model}上怎么操作？`, `新手机${model}怎么开通eSIM？`])
        : rng.pick([`I want to move my number to an eSIM on my ${model}. How do I do that?`, `how do I activate an eSIM on the new ${model}?`]);
      ask = zh ? '请问号码是您本人实名的吗？方便提供一下要转eSIM的手机号吗？' : 'Is the number registered in your name? Which number do you want on the eSIM?';
      const number = /^\d{11}$/.test(ctx.person.phone) ? formatMobile(ctx.person.phone, rng.pick([0, 1] as const)) : ctx.person.phone;
      const withId = zh ? rng.chance(0.3) : rng.chance(0.05);
      ownPii = withId ? ['phone', 'resident_id'] : ['phone'];
      const id = residentId(rng, ctx.person.birthDay);
      details = zh
        ? `是本人的，号码${number}` + (withId ? `，身份证号${id}` : '')
        : `Yes, it's mine: ${number}.` + (withId ? ` ID number ${id}.` : '');
      const reference = zh
        ? '开通eSIM需要先完成实名认证：在灯塔App里进入“我的号码-eSIM”，上传身份证并完成人脸识别，审核通过后会生成一个二维码，用手机“设置-蜂窝网络-添加eSIM”扫描该二维码即可，一般10分钟内生效。'
        : "To activate the eSIM you first need to verify your identity: in the Beacon app go to 'My number - eSIM', upload your ID and complete the face check. Once approved you'll get a QR code; scan it under Settings - Mobile Data - Add eSIM and it's usually live within 10 minutes.";
      answer = zh
        ? { reference, facts: ['实名认证', '二维码'], good: rng.pick([reference, '您在灯塔App的“我的号码-eSIM”里先做实名认证（上传身份证+人脸识别），通过后会给您一个二维码，在手机设置里添加eSIM扫码就行，10分钟左右生效。']), curt: 'App里办理。', wrong: 'eSIM不需要实名认证，直接在设置里添加就行。', rude: '这么简单都不会？App里都写着呢。' }
        : { reference, facts: ['verify your identity', 'QR code'], good: rng.pick([reference, "In the Beacon app, open 'My number - eSIM' to verify your identity (ID upload plus a face check). You'll then get a QR code to scan under Settings - Add eSIM; it's usually active in about 10 minutes."]), curt: 'Do it in the app.', wrong: 'No verification needed, just add the eSIM in settings.', rude: "It's all in the app. Did you even look?" };
    } else {
      kb = 'KB-4120 TV screen casting';
      opener = zh
        ? rng.pick(['电视怎么投屏？手机连不上', `${model}电视怎么用手机投屏看视频？`])
        : rng.pick(["how do I cast from my phone to the TV? It won't connect", `how can I mirror my phone to the ${model}?`]);
      ask = zh ? '请问电视和手机连的是同一个Wi-Fi吗？' : 'Are the TV and your phone on the same Wi-Fi?';
      details = zh ? rng.pick(['应该是吧，家里就一个Wi-Fi', '不太确定，电视好像连的是5G那个']) : rng.pick(['I think so, we only have one network.', "Not sure, the TV might be on the 5G one."]);
      const reference = zh
        ? '请确认电视和手机连接的是同一个Wi-Fi，然后在电视上打开“无线投屏”应用，在手机控制中心点“屏幕镜像”，选择“Vista TV”即可。如果搜索不到，可以重启一下电视和路由器再试。'
        : "Make sure the TV and your phone are on the same Wi-Fi network, open the 'Screen Cast' app on the TV, then tap 'Screen Mirroring' on your phone and choose 'Vista TV'. If it doesn't show up, restart the TV and the router and try again.";
      answer = zh
        ? { reference, facts: ['同一个Wi-Fi', '屏幕镜像'], good: rng.pick([reference, '先让电视和手机连同一个Wi-Fi，电视上打开“无线投屏”，手机下拉控制中心点“屏幕镜像”，选“Vista TV”就行。搜不到的话重启一下电视和路由器。']), curt: '用屏幕镜像。', wrong: '这款电视不支持手机投屏，只能用HDMI线连接。', rude: '这么简单都不会？说明书上写得清清楚楚。' }
        : { reference, facts: ['same Wi-Fi network', 'Screen Mirroring'], good: rng.pick([reference, "Put the phone and TV on the same Wi-Fi network, start 'Screen Cast' on the TV, then use Screen Mirroring on your phone and pick 'Vista TV'. If it's missing, restart the TV and router."]), curt: 'Use Screen Mirroring.', wrong: "That TV doesn't support casting; you'll need an HDMI cable.", rude: "It's literally in the manual. Did you even read it?" };
    }
    return {
      scenario: `setup_${variant}`,
      opener,
      ask,
      details,
      pii: variant === 'esim' ? 'none' : 'order',
      ownPii,
      tool: { name: 'search_kb', payload: { query: kb.slice(8), article: kb.slice(0, 7), product: p.name } },
      answer,
      resolvable: true,
      meta: { order_id: p.orderId },
    };
  },
};
